import { existsSync } from "node:fs";
import { open, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evalSpecSchema, type EvalSpec } from "../../../src/config/repo-config.js";
import { junitWorkerPath, parseJunitOffThread } from "../../../src/evals/parse-junit-off-thread.js";
import { MAX_REPORT_BYTES, readReportFile } from "../../../src/evals/read-report-file.js";
import { runEvals } from "../../../src/evals/run-evals.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

const env = { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin" };
const spec = (fields: Record<string, unknown>): EvalSpec => evalSpecSchema.parse({ timeout: "20s", format: "junit:r.xml", ...fields });
const isRoot = process.getuid?.() === 0;

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => repo.cleanup());

const run = (evals: EvalSpec[]) => runEvals({ evals, cwd: repo.dir, env, logFile: join(repo.dir, ".git", "lane.log") });

/** Writes a valid JUnit report of about `bytes` bytes, one case in ten failed, without building it in memory. */
async function writeJunit(path: string, bytes: number): Promise<{ passed: number; failed: number }> {
  const file = await open(path, "w");
  const pass = `<testcase classname="pkg.module.Suite" name="does the thing it should" time="0.001"/>\n`;
  const fail = `<testcase classname="pkg.module.Suite" name="fails" time="0.002"><failure message="expected 1 to be 2">AssertionError: expected 1 to be 2\n    at Object.&lt;anonymous&gt; (test.js:1:1)</failure></testcase>\n`;
  const block = (pass.repeat(9) + fail).repeat(200);
  const perBlock = { passed: 9 * 200, failed: 200 };
  let written = 0;
  let blocks = 0;
  await file.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="big">\n`);
  while (written < bytes) {
    await file.write(block);
    written += block.length;
    blocks += 1;
  }
  await file.write("</testsuite></testsuites>\n");
  await file.close();
  return { passed: perBlock.passed * blocks, failed: perBlock.failed * blocks };
}

/** The event loop's worst stall while `work` runs, by perf_hooks and by a 5 ms interval's largest gap. */
async function measureLag<T>(work: () => Promise<T>): Promise<{ value: T; histogramMs: number; intervalMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let last = performance.now();
  let worst = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  histogram.enable();
  try {
    const value = await work();
    return { value, histogramMs: histogram.max / 1e6, intervalMs: worst };
  } finally {
    histogram.disable();
    clearInterval(tick);
  }
}

describe("eval reports: only regular files inside the worktree, capped, parsed off the event loop", () => {
  it("fails an eval that leaves a FIFO at its JUnit path with a clear note, well within its timeout", async () => {
    const started = performance.now();
    const [result] = await run([spec({ name: "fifo", run: "mkfifo r.xml" })]);
    const tookMs = performance.now() - started;
    expect(result).toMatchObject({ passed: false, passed_count: 0, failed_count: 0, note: "JUnit report r.xml is a FIFO; only a regular file inside the worktree is read" });
    expect(tookMs).toBeLessThan(3000);
  });

  it("refuses a symlink to /etc/passwd, and any symlink, even one that stays inside the worktree", async () => {
    await writeFile(join(repo.dir, "real.xml"), `<testsuite><testcase/></testsuite>`);
    const results = await run([
      spec({ name: "passwd", run: "ln -s /etc/passwd r.xml" }),
      spec({ name: "inside", run: "ln -s real.xml r.xml" }),
      spec({ name: "dir", run: "mkdir -p d && ln -s /etc d/up", format: "junit:d/up/passwd" }),
    ]);
    expect(results[0]).toMatchObject({ passed: false, note: "JUnit report r.xml is a symlink; only a regular file inside the worktree is read" });
    expect(results[1]).toMatchObject({ passed: false, note: "JUnit report r.xml is a symlink; only a regular file inside the worktree is read" });
    expect(results[2]).toMatchObject({ passed: false, note: expect.stringMatching(/leads outside the worktree through a symlink/) });
  });

  it("refuses a symlink to /dev/zero and a character device at the report path", async () => {
    const [viaLink] = await run([spec({ name: "zero-link", run: "ln -s /dev/zero r.xml" })]);
    expect(viaLink).toMatchObject({ passed: false, note: "JUnit report r.xml is a symlink; only a regular file inside the worktree is read" });
  });

  it.skipIf(!isRoot)("refuses a device node (the real /dev/zero's major/minor) made in the worktree", async () => {
    const started = performance.now();
    const [device] = await run([spec({ name: "zero", run: "mknod r.xml c 1 5" })]);
    expect(device).toMatchObject({ passed: false, note: "JUnit report r.xml is a device; only a regular file inside the worktree is read" });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("refuses a directory and a socket at the report path", async () => {
    const results = await run([
      spec({ name: "dir", run: "mkdir r.xml" }),
      spec({ name: "socket", run: ["node", "-e", "const s = require('net').createServer().listen('r.xml', () => { s.unref(); process.exit(0); })"] }),
    ]);
    expect(results[0]?.note).toBe("JUnit report r.xml is a directory; only a regular file inside the worktree is read");
    expect(results[1]?.note).toBe("JUnit report r.xml is a socket; only a regular file inside the worktree is read");
  });

  it("refuses a report over the cap with a note that says its size, without reading it", async () => {
    const [result] = await run([spec({ name: "huge", run: "truncate -s 11M r.xml" })]);
    expect(MAX_REPORT_BYTES).toBe(10 * 1024 * 1024);
    expect(result).toMatchObject({ passed: false, note: "JUnit report r.xml is 11 MB, over the 10 MB limit; it was not read" });
  });

  it("refuses a 60 MB valid JUnit report by the cap without stalling the event loop", async () => {
    await writeJunit(join(repo.dir, "big.xml"), 60 * 1024 * 1024);
    const { value, histogramMs, intervalMs } = await measureLag(() => run([spec({ name: "big", run: "cp big.xml r.xml" })]));
    console.info(`60 MB JUnit report: refused by the cap; event-loop max delay ${histogramMs.toFixed(1)} ms (histogram), ${intervalMs.toFixed(1)} ms (interval)`);
    expect(value[0]).toMatchObject({ passed: false, note: expect.stringMatching(/^JUnit report r\.xml is 6\d\.\d MB, over the 10 MB limit/) });
    expect(histogramMs).toBeLessThan(200);
  });

  it("parses a valid report just under the cap in a worker thread, without stalling the event loop", async () => {
    expect(existsSync(junitWorkerPath()), "the compiled JUnit worker is missing: run `npm run build`").toBe(true);
    const expected = await writeJunit(join(repo.dir, "big.xml"), 9.5 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const { value, histogramMs, intervalMs } = await measureLag(() => run([spec({ name: "big", run: "cp big.xml r.xml" })]));
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    console.info(
      `9.5 MB JUnit report (${expected.passed + expected.failed} testcases): parsed in ${value[0]?.duration_ms} ms; event-loop max delay ${histogramMs.toFixed(1)} ms (histogram), ${intervalMs.toFixed(1)} ms (interval); main-process RSS growth ${rssGrowthMb.toFixed(0)} MB`,
    );
    expect(value[0]).toMatchObject({ passed: false, passed_count: expected.passed, failed_count: expected.failed, note: null });
    expect(histogramMs).toBeLessThan(200);
  });

  it("stops a parse that needs more heap than its cap, or takes longer than its timeout, with a clear error", async () => {
    const path = join(repo.dir, "big.xml");
    await writeJunit(path, 4 * 1024 * 1024);
    const bytes = await readReportFile(repo.dir, "big.xml", { label: "report", maxBytes: MAX_REPORT_BYTES, timeoutMs: 5000 });
    await expect(parseJunitOffThread(bytes, { maxHeapMb: 8 })).rejects.toThrow(/^parsing needs more than 8 MB of memory$/);
    await expect(parseJunitOffThread(bytes, { timeoutMs: 5 })).rejects.toThrow(/^parsing took longer than 0\.005s$/);
    // The worker's failure is the report's, not the process's: a normal parse still works afterwards.
    await expect(parseJunitOffThread(bytes)).resolves.toMatchObject({ skipped: 0 });
  });

  it("reports a deeply nested (hostile) report as bad without crashing", async () => {
    const depth = 200_000;
    await writeFile(join(repo.dir, "deep.xml"), `${"<testsuite>".repeat(depth)}<testcase/>${"</testsuite>".repeat(depth)}`);
    const [result] = await run([spec({ name: "deep", run: "cp deep.xml r.xml" })]);
    expect(result).toMatchObject({ passed: false, note: expect.stringMatching(/^bad JUnit report r\.xml: /) });
  });

  it("refuses a symlink swapped in at the last moment (O_NOFOLLOW), through readReportFile", async () => {
    await symlink("/etc/passwd", join(repo.dir, "late.xml"));
    await expect(readReportFile(repo.dir, "late.xml", { label: "JUnit report", maxBytes: 1024, timeoutMs: 1000 })).rejects.toThrow(/is a symlink/);
  });

  it("counts a 30 MB TAP stream whole, line by line as it arrives, without stalling the event loop", async () => {
    const lines = 1_000_000;
    const script = `const n=${lines};let s='TAP version 13\\n1..'+n+'\\n';process.stdout.write(s);let i=1;function more(){let chunk='';for(let k=0;k<5000&&i<=n;k++,i++)chunk+=(i%100===0?'not ok ':'ok ')+i+' - a test with a name of some length\\n';if(chunk)process.stdout.write(chunk,more);}more();`;
    const { value, histogramMs, intervalMs } = await measureLag(() => run([spec({ name: "tap", run: ["node", "-e", script], format: "tap" })]));
    console.info(`TAP, ${lines} test points (~${Math.round((lines * 40) / 1e6)} MB of stdout): event-loop max delay ${histogramMs.toFixed(1)} ms (histogram), ${intervalMs.toFixed(1)} ms (interval)`);
    expect(value[0]).toMatchObject({ passed: false, passed_count: lines - lines / 100, failed_count: lines / 100 });
    expect(histogramMs).toBeLessThan(200);
  });

  it("gives a clear note for a json eval whose last line is far too long to be a score", async () => {
    const [result] = await run([spec({ name: "json", run: ["node", "-e", "process.stdout.write('x'.repeat(200000) + '\\n')"], format: "json" })]);
    expect(result).toMatchObject({ passed: false, note: expect.stringMatching(/^the last line of output is 200000 characters long, not a score line/) });
  });
});
