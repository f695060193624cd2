// worker-memory: resident memory of an `agent-race worker` process (LANE_CONCURRENCY=8) during an
// 8-lane race, sampled from /proc/<pid>/status every 50 ms. VmRSS is the worker's own: agents, git
// and eval processes are separate processes and are not counted. Baseline: the same worker idle.
import { it } from "vitest";
import { issueLabeledPayload } from "../../test/helpers/fake-github/index.js";
import type { AppHarness } from "../../test/helpers/app-harness.js";
import { startWorkerChild, type WorkerChild } from "../../test/helpers/worker-process.js";
import { benchEnv, log, median, round, rssMb, sleep, writeRaw } from "./lib.js";
import { closeRaceHarness, startRaceHarness, workerEnv } from "./race-harness.js";

const LANES = 8;

interface Sample {
  value: number;
  idle_mb: number;
  after_mb: number;
  samples: number;
  race_s: number;
}

it("worker-memory", async () => {
  const { quick, runs } = benchEnv;
  const sleepMs = quick ? 1000 : 3000;
  let h: AppHarness | undefined;
  let worker: WorkerChild | undefined;
  const results: Sample[] = [];
  try {
    h = await startRaceHarness({ agent: { name: "sleeper", args: ["--sleep", String(sleepMs), "--write", "src/answer.txt=42"] }, lanes: LANES, withWorker: false });
    const harness = h;
    const env = workerEnv(harness, LANES);
    let issues = 0;
    const race = async (pid: number): Promise<{ peak: number; count: number; seconds: number }> => {
      const issue = harness.fake.addIssue(harness.repo, { title: `Make the answer 42 (${++issues})`, body: "x", user: "alice" });
      const done = () => [...harness.fake.repo(harness.repo).comments.values()].some((c) => c.issueNumber === issue.number && c.body.includes("agent-race:comparison:"));
      let peak = 0;
      let count = 0;
      const start = Date.now();
      const sent = await harness.send("issues", issueLabeledPayload({ repo: harness.repo, issue, label: "agent:race", sender: "alice", installationId: 1 }));
      if (sent.status >= 300) throw new Error(`webhook answered ${sent.status}`);
      const deadline = start + 10 * 60_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error("the race did not finish in 10 minutes");
        const rss = rssMb(pid);
        if (!Number.isFinite(rss)) throw new Error("the worker died during the race");
        peak = Math.max(peak, rss);
        count += 1;
        await sleep(50);
      }
      return { peak, count, seconds: (Date.now() - start) / 1000 };
    };
    const idleRss = async (pid: number): Promise<number> => {
      const values: number[] = [];
      for (let i = 0; i < 10; i++) {
        values.push(rssMb(pid));
        await sleep(100);
      }
      return median(values);
    };

    // Warm-up with a throw-away worker: the first race clones the mirror; not counted.
    worker = await startWorkerChild(env);
    await race(worker.pid);
    await worker.kill();
    worker = undefined;

    for (let run = 1; run <= runs; run++) {
      worker = await startWorkerChild(env);
      await sleep(2000); // settle after start-up
      const idle = await idleRss(worker.pid);
      const { peak, count, seconds } = await race(worker.pid);
      await sleep(1000);
      const after = await idleRss(worker.pid);
      results.push({ value: round(peak, 1), idle_mb: round(idle, 1), after_mb: round(after, 1), samples: count, race_s: round(seconds, 2) });
      log(`run ${run}/${runs}: idle ${idle.toFixed(1)} MB, peak during the race ${peak.toFixed(1)} MB (${count} samples over ${seconds.toFixed(1)} s), after ${after.toFixed(1)} MB`);
      await worker.kill();
      worker = undefined;
    }
  } finally {
    await worker?.kill();
    await closeRaceHarness(h);
  }

  const peak = median(results.map((r) => r.value));
  writeRaw({
    name: "worker-memory",
    metric: `peak RSS (MB) of one worker process during an ${LANES}-lane race (agents sleep ${sleepMs / 1000} s), agents and git excluded`,
    unit: "MB",
    params: { lanes: LANES, lane_concurrency: LANES, agent_sleep_ms: sleepMs, sample_every_ms: 50, runs, quick, log_level: "info" },
    runs: results,
    baseline: { description: "the same worker idle", runs: results.map((r) => ({ value: r.idle_mb })) },
    goals: [{ text: "peak worker RSS ≤ 200 MB during an 8-lane race", value: `${round(peak, 1)} MB`, met: peak <= 200 }],
    notes: ["A fresh worker per run; a throw-away warm-up race fills the mirror first. after_mb is the RSS 1 s after the race."],
  });
});
