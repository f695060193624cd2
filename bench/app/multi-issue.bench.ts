// multi-issue: 3 issues labelled at once, each a 2-lane race whose agents sleep 10 s, on 2 worker
// processes (`agent-race worker`, LANE_CONCURRENCY=3, so the 6 lanes fit at once), vs the same 3
// races one after another on the same workers, in the same run.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { it } from "vitest";
import { issueLabeledPayload, type FakeRepo } from "../../test/helpers/fake-github/index.js";
import { waitFor, type AppHarness } from "../../test/helpers/app-harness.js";
import { startWorkerChild, type WorkerChild } from "../../test/helpers/worker-process.js";
import { benchEnv, dumpWorkerLog, log, median, round, stampRequests, writeRaw } from "./lib.js";
import { closeRaceHarness, startRaceHarness, workerEnv } from "./race-harness.js";

const ISSUES = 3;
const LANES_PER_RACE = 2;
const WORKERS = 2;
const LANE_CONCURRENCY = 3;

interface Sample {
  value: number;
  races_s: number[];
}

it("multi-issue", async () => {
  const { quick, runs } = benchEnv;
  const sleepMs = quick ? 1000 : 10_000;
  let h: AppHarness | undefined;
  const workers: WorkerChild[] = [];
  const concurrent: Sample[] = [];
  const sequential: Sample[] = [];
  try {
    h = await startRaceHarness({ agent: { name: "sleeper", args: ["--sleep", String(sleepMs), "--write", "src/answer.txt=42"] }, lanes: LANES_PER_RACE, withWorker: false });
    const harness = h;
    mkdirSync(join(harness.dir, "cache"), { recursive: true });
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorkerChild(workerEnv(harness, LANE_CONCURRENCY)));
    const stampOf = stampRequests(harness.fake);
    const repo: FakeRepo = harness.repo;
    let issueCount = 0;
    const comparisonAt = (issue: number, from: number): number | undefined => {
      const path = `/api/v3/repos/${repo.owner}/${repo.name}/issues/${issue}/comments`;
      const request = harness.fake.requests.slice(from).find((r) => r.method === "POST" && r.path === path && JSON.stringify(r.body ?? "").includes("agent-race:comparison:"));
      return request ? stampOf(request) : undefined;
    };
    /** Labels one new issue; resolves with the time its comparison comment arrived. */
    const race = async (): Promise<{ start: number; end: number }> => {
      const issue = harness.fake.addIssue(repo, { title: `Make the answer 42 (${++issueCount})`, body: "x", user: "alice" });
      const from = harness.fake.requests.length;
      const start = Date.now();
      const sent = await harness.send("issues", issueLabeledPayload({ repo, issue, label: "agent:race", sender: "alice", installationId: 1 }));
      if (sent.status >= 300) throw new Error(`webhook answered ${sent.status}`);
      const end = await waitFor(() => comparisonAt(issue.number, from), 10 * 60_000, `comparison on issue ${issue.number}`);
      return { start, end };
    };
    const sample = (results: Array<{ start: number; end: number }>): Sample => ({
      value: round((Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))) / 1000),
      races_s: results.map((r) => round((r.end - r.start) / 1000)),
    });

    await race(); // warm-up: mirrors, Octokit, JIT; not counted
    for (let run = 1; run <= runs; run++) {
      const order = run % 2 ? (["concurrent", "sequential"] as const) : (["sequential", "concurrent"] as const);
      for (const mode of order) {
        let results: Array<{ start: number; end: number }>;
        if (mode === "concurrent") {
          results = await Promise.all(Array.from({ length: ISSUES }, () => race()));
        } else {
          results = [];
          for (let i = 0; i < ISSUES; i++) results.push(await race());
        }
        const s = sample(results);
        (mode === "concurrent" ? concurrent : sequential).push(s);
        log(`run ${run}/${runs} ${mode.padEnd(10)}: ${s.value.toFixed(2)} s (races: ${s.races_s.map((v) => v.toFixed(1)).join(", ")} s)`);
      }
    }
  } finally {
    for (const [i, worker] of workers.entries()) {
      dumpWorkerLog(`worker ${i + 1}`, worker.output());
      await worker.kill();
    }
    await closeRaceHarness(h);
  }

  const speedup = median(sequential.map((s) => s.value)) / median(concurrent.map((s) => s.value));
  writeRaw({
    name: "multi-issue",
    metric: `seconds from the first webhook to the last comparison comment: ${ISSUES} issues labelled at once (${LANES_PER_RACE}-lane races, agents sleep ${sleepMs / 1000} s) on ${WORKERS} worker processes`,
    unit: "s",
    ratio_mode: "baseline/value",
    params: { issues: ISSUES, lanes_per_race: LANES_PER_RACE, agent_sleep_ms: sleepMs, workers: WORKERS, lane_concurrency: LANE_CONCURRENCY, runs, quick, workers_share_cache_dir: true },
    runs: concurrent,
    baseline: { description: "the same races one after another", runs: sequential },
    goals: [{ text: "≥ 2.7× faster than one after another", value: `${round(speedup, 2)}×`, met: speedup >= 2.7 }],
    notes: [
      "ratio = sequential ÷ concurrent (a speedup); the ideal is 3×.",
      "Both worker processes run on this machine with the same cache dir (one mirror, shared under its file lock), as two workers on one host would.",
      ...(quick ? ["quick mode: agents sleep 1 s, so fixed per-race costs weigh more and the speedup is lower"] : []),
    ],
  });
});
