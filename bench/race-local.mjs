#!/usr/bin/env node
// @ts-check
// race-local: local races (the engine's `runRace`, dist/local/run-race.js) of 3 and 8 lanes whose
// scripted agents sleep and then edit a file, with an exit-code eval. Wall time of the race vs its
// slowest lane (the floor for parallel lanes) and vs the sum of the lanes (running them one by one).
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseRepoConfig } from "../dist/config/parse-repo-config.js";
import { runRace } from "../dist/local/run-race.js";
import { benchEnv, log, writeRaw } from "./lib/bench-env.mjs";
import { git } from "./lib/proc.mjs";
import { median, round } from "./lib/stats.mjs";

const { quick, runs } = benchEnv;
const LANES = [3, 8];
const SLEEP_MS = quick ? 500 : 5000;
const AGENT = fileURLToPath(new URL("./fixtures/timed-agent.mjs", import.meta.url));
const CHECK = `import { readFileSync } from "node:fs";\nprocess.exit(readFileSync("src/answer.txt", "utf8").trim() === "42" ? 0 : 1);\n`;

/** @type {string[]} */
const problems = [];
const work = await mkdtemp(join(benchEnv.tmpDir, "race-local-"));
/** @type {Record<number, Array<{ value: number, slowest_lane_s: number, lanes_sum_s: number, agent_max_s: number, statuses: string[] }>>} */
const measured = {};
try {
  const repo = join(work, "repo");
  await mkdir(join(repo, "src"), { recursive: true });
  await writeFile(join(repo, "README.md"), "# answer\n");
  await writeFile(join(repo, "src", "answer.txt"), "0\n");
  await writeFile(join(repo, "check.mjs"), CHECK);
  await git(["init", "-q", "-b", "main"], repo);
  await git(["add", "-A"], repo);
  await git(["-c", "user.name=Bench User", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "initial"], repo);

  for (let run = 1; run <= runs; run++) {
    for (const lanes of LANES) {
      const timeLog = join(work, `times-${run}-${lanes}.jsonl`);
      const config = parseRepoConfig(
        [
          "agents:",
          `  sleeper: { command: ${JSON.stringify([process.execPath, AGENT, "--time-log", timeLog, "--sleep", String(SLEEP_MS), "--write", "src/answer.txt=42"])} }`,
          "default_agents: [sleeper]",
          `lanes: ${lanes}`,
          "evals:",
          `  - { name: check, run: ${JSON.stringify([process.execPath, "check.mjs"])} }`,
        ].join("\n"),
        "bench-config.yml",
      );
      const t0 = performance.now();
      const report = await runRace({ cwd: repo, task: "Make the answer 42", config, lanes, signal: AbortSignal.timeout(5 * 60_000) });
      const wall = (performance.now() - t0) / 1000;
      const durations = report.lanes.map((l) => l.duration_ms / 1000);
      const agentTimes = (await readFile(timeLog, "utf8")).trim().split("\n").map((line) => JSON.parse(line).ms / 1000);
      const sample = {
        value: round(wall), slowest_lane_s: round(Math.max(...durations)), lanes_sum_s: round(durations.reduce((a, b) => a + b, 0)),
        agent_max_s: round(Math.max(...agentTimes)), statuses: report.lanes.map((l) => l.status),
      };
      for (const lane of report.lanes.filter((l) => l.status !== "passed")) {
        // A lane that did not pass is still timed, but it is reported: it points at a bug or an overloaded machine.
        const tail = (await readFile(lane.log, "utf8").catch(() => "")).trim().split("\n").slice(-5).join(" | ");
        problems.push(`run ${run}, ${lanes} lanes: lane ${lane.lane} ${lane.status}: ${lane.note ?? ""} ${tail}`.trim());
        log(`lane ${lane.lane} ${lane.status}: ${lane.note ?? ""} ${tail}`);
      }
      (measured[lanes] ??= []).push(sample);
      log(`run ${run}/${runs} ${lanes} lanes: wall ${sample.value.toFixed(2)} s, slowest lane ${sample.slowest_lane_s.toFixed(2)} s, sum ${sample.lanes_sum_s.toFixed(1)} s, slowest agent ${sample.agent_max_s.toFixed(2)} s`);
      // Only the winner's branch is kept; drop it so the repository stays small.
      if (report.winner !== null) {
        const branch = report.lanes.find((l) => l.lane === report.winner)?.branch;
        if (branch) await git(["branch", "-D", branch], repo);
      }
    }
  }
} finally {
  await rm(work, { recursive: true, force: true, maxRetries: 3 });
}

const series = (/** @type {number} */ n) => measured[n] ?? [];
const cases = LANES.flatMap((n) => [
  { label: `${n} lanes, vs slowest lane`, params: { lanes: n }, runs: series(n), baseline: { description: "slowest lane", runs: series(n).map((s) => ({ value: s.slowest_lane_s })) } },
  { label: `${n} lanes, vs sequential sum`, params: { lanes: n }, runs: series(n), baseline: { description: "sum of the lanes (one after another)", runs: series(n).map((s) => ({ value: s.lanes_sum_s })) } },
]);
const top = Math.max(...LANES);
const goals = LANES.map((n) => {
  const wall = median(series(n).map((s) => s.value));
  const slowest = median(series(n).map((s) => s.slowest_lane_s));
  const limit = 1.1 * slowest + 1;
  return { text: `${n} lanes: wall ≤ 1.1 × slowest lane + 1 s (${round(limit, 2)} s)`, value: `${round(wall, 2)} s (overhead over the slowest lane: ${round(wall - slowest, 2)} s)`, met: wall <= limit };
});

writeRaw({
  name: "race-local",
  metric: `wall seconds of a local race (runRace) whose agents sleep ${SLEEP_MS / 1000} s and edit a file; headline: ${top} lanes vs its slowest lane`,
  unit: "s",
  params: { lanes: LANES, agent_sleep_ms: SLEEP_MS, runs, quick, evals: ["exit-code check (node check.mjs)"], parallel: "all lanes at once (runRace default)" },
  runs: series(top),
  baseline: { description: "slowest lane", runs: series(top).map((s) => ({ value: s.slowest_lane_s })) },
  cases,
  goals,
  details: Object.fromEntries(LANES.map((n) => [`${n} lanes`, {
    wall_s: round(median(series(n).map((s) => s.value))),
    slowest_lane_s: round(median(series(n).map((s) => s.slowest_lane_s))),
    slowest_agent_s: round(median(series(n).map((s) => s.agent_max_s))),
    lane_overhead_s: round(median(series(n).map((s) => s.slowest_lane_s - s.agent_max_s))),
    race_overhead_s: round(median(series(n).map((s) => s.value - s.slowest_lane_s))),
  }])),
  notes: [
    ...problems.map((p) => `lane did not pass: ${p}`),
    "slowest_agent_s is the agent process's own run time (Node start-up included), from bench/fixtures/timed-agent.mjs; lane_overhead_s = slowest lane − slowest agent (worktree, commit, diff, eval, clean-up); race_overhead_s = wall − slowest lane (plan, record, rank, branch clean-up).",
  ],
});
