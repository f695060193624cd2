import { readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evalSpecSchema, type EvalSpec } from "../../../src/config/repo-config.js";
import { CancelledError } from "../../../src/errors.js";
import { runEvals } from "../../../src/evals/run-evals.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

const env = { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", LANE_VAR: "yes" };
const spec = (fields: Record<string, unknown>): EvalSpec => evalSpecSchema.parse({ timeout: "20s", ...fields });
const JUNIT = `<testsuites><testsuite name="s"><testcase name="a"/><testcase name="b"/><testcase name="c"><failure message="x"/></testcase><testcase name="d"><skipped/></testcase></testsuite></testsuites>`;

let repo: TempRepo;
let logFile: string;
beforeEach(async () => {
  repo = await createTempRepo();
  logFile = join(repo.dir, ".git", "lane.log");
});
afterEach(async () => repo.cleanup());

const run = (evals: EvalSpec[], signal?: AbortSignal) => runEvals({ evals, cwd: repo.dir, env, logFile, signal });

describe("runEvals", () => {
  it("runs exit-code evals in order, with only the given env, and logs each", async () => {
    const results = await run([
      spec({ name: "lint", run: 'test "$LANE_VAR" = yes && test -z "$HOME" && echo lint-ok', weight: 2 }),
      spec({ name: "types", run: "echo broken >&2; exit 3", required: false }),
    ]);
    expect(results).toEqual([
      { name: "lint", passed: true, required: true, passed_count: 1, failed_count: 0, score: 1, weight: 2, duration_ms: expect.any(Number), note: null },
      { name: "types", passed: false, required: false, passed_count: 0, failed_count: 1, score: 0, weight: 1, duration_ms: expect.any(Number), note: "exited with code 3" },
    ]);
    const log = await readFile(logFile, "utf8");
    expect(log).toMatch(/== eval lint: test "\$LANE_VAR" = yes[^\n]*\nlint-ok\n== eval lint: passed/);
    expect(log).toMatch(/== eval types: echo broken >&2; exit 3\nbroken\n== eval types: failed, 0 passed, 1 failed, score 0\.00 \(exited with code 3\)/);
  });

  it("reads a junit report the command writes, and deletes a stale one before the run", async () => {
    await repo.write("reports/junit.xml", JUNIT);
    const stale = spec({ name: "stale", run: "exit 0", format: "junit:reports/junit.xml" });
    const fresh = spec({ name: "fresh", run: `mkdir -p out && printf '%s' '${JUNIT}' > out/junit.xml; exit 1`, format: "junit:out/junit.xml" });
    const [staleResult, freshResult] = await run([stale, fresh]);
    expect(staleResult).toMatchObject({ passed: false, passed_count: 0, failed_count: 0, score: 0, note: "no JUnit report at reports/junit.xml" });
    expect(freshResult).toMatchObject({ passed: false, passed_count: 2, failed_count: 1, note: null });
    expect(freshResult?.score).toBeCloseTo(2 / 3);
  });

  it("fails a junit eval whose report is invalid or leaves the worktree through a symlink", async () => {
    const outside = await createTempRepo();
    try {
      await symlink(outside.dir, join(repo.dir, "escape"));
      await writeFile(join(outside.dir, "keep.xml"), JUNIT);
      const results = await run([
        spec({ name: "broken", run: "printf '<testsuite><testcase>' > r.xml", format: "junit:r.xml" }),
        spec({ name: "escape", run: "true", format: "junit:escape/keep.xml" }),
      ]);
      expect(results[0]?.note).toMatch(/^bad JUnit report r\.xml: invalid JUnit XML/);
      expect(results[1]).toMatchObject({ passed: false, note: expect.stringMatching(/outside the worktree/) });
      expect(await readFile(join(outside.dir, "keep.xml"), "utf8")).toBe(JUNIT);
    } finally {
      await outside.cleanup();
    }
  });

  it("parses tap from stdout", async () => {
    const [result] = await run([spec({ name: "tap", run: "printf 'TAP version 13\\n1..4\\nok 1\\nok 2 # SKIP\\nnot ok 3 # TODO\\nok 4\\n'", format: "tap" })]);
    expect(result).toMatchObject({ passed: true, passed_count: 2, failed_count: 0, score: 1, note: null });
  });

  it("scores json evals and fails malformed output", async () => {
    const results = await run([
      spec({ name: "good", run: `echo scoring; echo '{"score":0.8,"passed":8,"failed":2}'`, format: "json", min_score: 0.7 }),
      spec({ name: "low", run: `echo '{"score":0.5,"passed":5,"failed":5}'`, format: "json", min_score: 0.7 }),
      spec({ name: "bad", run: "echo '{\"score\": 2}'", format: "json" }),
    ]);
    expect(results[0]).toMatchObject({ passed: true, score: 0.8, passed_count: 8, failed_count: 2, note: null });
    expect(results[1]).toMatchObject({ passed: false, score: 0.5, note: "score 0.5 is below min_score 0.7" });
    expect(results[2]).toMatchObject({ passed: false, score: 0, note: expect.stringMatching(/not a valid score \(score: .*passed: .*failed: /) });
  });

  it("stops a hanging eval at its timeout and carries on", async () => {
    const started = Date.now();
    const results = await run([spec({ name: "hang", run: "sleep 30", timeout: "500ms" }), spec({ name: "after", run: "true" })]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(results[0]).toMatchObject({ passed: false, failed_count: 1, note: "timed out after 0.5s" });
    expect(results[0]?.duration_ms).toBeGreaterThanOrEqual(450);
    expect(results[1]?.passed).toBe(true);
  });

  it("runs an array command as argv, without a shell", async () => {
    const results = await run([
      spec({ name: "argv", run: ["node", "-e", "process.exit(process.argv[1] === 'a b; $(exit 1)' ? 0 : 1)", "a b; $(exit 1)"] }),
      spec({ name: "missing", run: ["agent-race-no-such-command"] }),
    ]);
    expect(results[0]).toMatchObject({ passed: true, note: null });
    expect(results[1]).toMatchObject({ passed: false, note: expect.stringMatching(/^could not start: /) });
  });

  it("throws CancelledError when aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(run([spec({ name: "slow", run: "sleep 30" }), spec({ name: "never", run: "true" })], controller.signal)).rejects.toBeInstanceOf(CancelledError);
  });
});
