#!/usr/bin/env node
// @ts-check
// sandbox: what the lane sandbox costs. The same local race (runRace, 8 lanes of scripted agents that
// sleep, then edit a file, and an exit-code eval) run once with every lane process in the bubblewrap
// sandbox and once without, alternating, in the same run. Goal (issue #11): sandboxed wall time
// ≤ 1.05 × unsandboxed + 0.2 s per lane.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseRepoConfig } from "../dist/config/parse-repo-config.js";
import { DEFAULT_SANDBOX_SETTINGS } from "../dist/config/sandbox-settings.js";
import { runRace } from "../dist/local/run-race.js";
import { resolveLaneSandbox } from "../dist/sandbox/resolve-lane-sandbox.js";
import { benchEnv, log, writeRaw } from "./lib/bench-env.mjs";
import { git } from "./lib/proc.mjs";
import { median, round } from "./lib/stats.mjs";

const { quick, runs } = benchEnv;
const LANES = 8;
const SLEEP_MS = quick ? 500 : 3000;
const FIXTURES = fileURLToPath(new URL("./fixtures", import.meta.url));
const TEST_FIXTURES = fileURLToPath(new URL("../test/fixtures", import.meta.url));
const AGENT = join(FIXTURES, "timed-agent.mjs");
const CHECK = `import { readFileSync } from "node:fs";\nprocess.exit(readFileSync("src/answer.txt", "utf8").trim() === "42" ? 0 : 1);\n`;

const work = await mkdtemp(join(benchEnv.tmpDir, "sandbox-"));
/** @type {string[]} */
const problems = [];
/** @type {{ sandboxed: number[], plain: number[] }} */
const walls = { sandboxed: [], plain: [] };
let caps = null;
try {
  const resolution = await resolveLaneSandbox(
    { ...DEFAULT_SANDBOX_SETTINGS, read_only: [FIXTURES, TEST_FIXTURES] },
    { scratchRoot: join(work, "probe") },
  );
  if (resolution.kind !== "sandboxed") throw new Error(`the lane sandbox is not available here: ${resolution.kind === "unavailable" ? resolution.probe.problem : "off"}`);
  caps = resolution.probe.caps;
  const repo = join(work, "repo");
  await mkdir(join(repo, "src"), { recursive: true });
  await writeFile(join(repo, "src", "answer.txt"), "0\n");
  await writeFile(join(repo, "check.mjs"), CHECK);
  await git(["init", "-q", "-b", "main"], repo);
  await git(["add", "-A"], repo);
  await git(["-c", "user.name=Bench User", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "initial"], repo);
  const config = parseRepoConfig(
    [
      "agents:",
      `  sleeper: { command: ${JSON.stringify([process.execPath, AGENT, "--sleep", String(SLEEP_MS), "--write", "src/answer.txt=42"])} }`,
      "default_agents: [sleeper]",
      `lanes: ${LANES}`,
      "evals:",
      `  - { name: check, run: ${JSON.stringify([process.execPath, "check.mjs"])} }`,
    ].join("\n"),
    "bench-config.yml",
  );
  for (let run = 1; run <= runs; run++) {
    // Alternate which goes first so a warming cache or a busy neighbour does not favour one side.
    const order = run % 2 === 1 ? ["plain", "sandboxed"] : ["sandboxed", "plain"];
    for (const kind of order) {
      const t0 = performance.now();
      const report = await runRace({
        cwd: repo, task: "Make the answer 42", config, lanes: LANES, signal: AbortSignal.timeout(5 * 60_000),
        sandbox: kind === "sandboxed" ? resolution.config : null,
      });
      const wall = (performance.now() - t0) / 1000;
      walls[/** @type {"plain" | "sandboxed"} */ (kind)].push(wall);
      for (const lane of report.lanes.filter((l) => l.status !== "passed")) problems.push(`run ${run} ${kind}: lane ${lane.lane} ${lane.status}: ${lane.note ?? ""}`);
      log(`run ${run}/${runs} ${kind}: wall ${wall.toFixed(2)} s`);
      const branch = report.lanes.find((l) => l.lane === report.winner)?.branch;
      if (branch) await git(["branch", "-D", branch], repo);
    }
  }
} finally {
  await rm(work, { recursive: true, force: true, maxRetries: 3 });
}

const sandboxed = median(walls.sandboxed);
const plain = median(walls.plain);
const limit = 1.05 * plain + 0.2 * LANES;
writeRaw({
  name: "sandbox",
  metric: `wall seconds of an ${LANES}-lane local race (agents sleep ${SLEEP_MS / 1000} s, edit a file; one exit-code eval) with every lane process in the bubblewrap sandbox`,
  unit: "s",
  params: { lanes: LANES, agent_sleep_ms: SLEEP_MS, runs, quick, cgroup_caps: caps ?? "none" },
  runs: walls.sandboxed.map((value) => ({ value: round(value) })),
  baseline: { description: "the same race unsandboxed", runs: walls.plain.map((value) => ({ value: round(value) })) },
  goals: [{ text: `sandboxed ≤ 1.05 × unsandboxed + 0.2 s per lane (${round(limit, 2)} s)`, value: `${round(sandboxed, 2)} s vs ${round(plain, 2)} s (+${round(sandboxed - plain, 2)} s, ${round((sandboxed - plain) / LANES, 3)} s per lane)`, met: sandboxed <= limit }],
  details: { sandboxed_s: round(sandboxed), unsandboxed_s: round(plain), overhead_per_lane_s: round((sandboxed - plain) / LANES, 3) },
  notes: problems.map((p) => `lane did not pass: ${p}`),
});
