import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FakeRepo } from "../helpers/fake-github/index.js";
import { raceTestKit } from "../helpers/race-test-kit.js";
import { REDIS_URL, startAppHarness, waitFor, type AppHarness, UNSANDBOXED_OPERATOR } from "../helpers/app-harness.js";
import { isProcessAlive } from "../helpers/is-process-alive.js";
import { finishedLanes, laneLogs, logLines, maxConcurrent, readMarkers, writeMarkerAgent, type LaneMarker } from "../helpers/lane-markers.js";
import { NODE } from "../helpers/race-fixture.js";
import { killProcessesIn, processesIn, startWorkerChild, type WorkerChild } from "../helpers/worker-process.js";

// Scale-out (issue 6): the app runs as `serve --no-worker` and two `agent-race worker` processes
// (LANE_CONCURRENCY 2 each) share one Redis. Each worker has a cache dir of its own, so which worker
// ran a lane shows in three places: its "lane finished" log line, `<cacheDir>/logs/<race>/lane-N.log`,
// and the marker the agent writes with its cwd (a worktree under `<cacheDir>/worktrees`).

const LANES = 8;
const AGENT_SLEEP_MS = 2000;
const ALL_LANES = Array.from({ length: LANES }, (_, i) => i + 1);

interface NamedWorker {
  name: "A" | "B";
  cacheDir: string;
  proc: WorkerChild;
}

let h: AppHarness;
let base: string;
let redis: Redis;
let lanesQueue: Queue;
let racesQueue: Queue;
let agentScript: string;
const workers: NamedWorker[] = [];
const cacheDirs: string[] = [];
const races: string[] = [];

beforeAll(async () => {
  h = await startAppHarness({ operator: UNSANDBOXED_OPERATOR, files: { "README.md": "# unused\n" }, withWorker: false, env: { AGENT_RACE_LOCK_MS: "2000" } });
  base = realpathSync(h.dir);
  agentScript = join(base, "marker-agent.mjs");
  await writeMarkerAgent(agentScript);
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  lanesQueue = new Queue("lanes", { connection: redis, prefix: h.prefix });
  racesQueue = new Queue("races", { connection: redis, prefix: h.prefix });
});

afterEach(async (context) => {
  const failed = context.task.result?.state === "fail";
  for (const worker of workers.splice(0)) {
    await worker.proc.kill();
    if (failed) console.error(`--- worker ${worker.name} (${worker.proc.pid}) log ---\n${worker.proc.output().slice(-6000)}`);
  }
  // Agents run in process groups of their own and outlive a SIGKILLed worker: reap them.
  for (const dir of cacheDirs.splice(0)) {
    const worktrees = join(dir, "worktrees");
    if (existsSync(worktrees)) killProcessesIn(worktrees);
  }
  for (const raceId of races.splice(0)) await racesQueue.remove(`race-${raceId}`, { removeChildren: true }).catch(() => undefined);
});

afterAll(async () => {
  for (const worker of workers.splice(0)) await worker.proc.kill();
  await lanesQueue?.close();
  await racesQueue?.close();
  redis?.disconnect();
  await h?.close();
});

/** A worker CLI process with the server's environment but a cache dir (mirror, worktrees, logs) of its own. */
async function startWorker(name: "A" | "B", test: string): Promise<NamedWorker> {
  const cacheDir = join(base, `${test}-cache-${name}`);
  cacheDirs.push(cacheDir);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith("VITEST")) env[key] = value;
  const proc = await startWorkerChild({
    ...env, ...h.envVars, AGENT_RACE_CACHE_DIR: cacheDir, LANE_CONCURRENCY: "2", AGENT_RACE_LOCK_MS: "2000",
    AGENT_RACE_GITHUB_THROTTLE: "off", LOG_LEVEL: "info",
  });
  const worker = { name, cacheDir, proc };
  workers.push(worker);
  return worker;
}

/** A repo whose race has 8 lanes of the marker agent, each sleeping `AGENT_SLEEP_MS` before the fix. */
async function scaleRepo(markers: string): Promise<FakeRepo> {
  const config = [
    `agents:\n  marker: { command: ${JSON.stringify([NODE, agentScript, markers, String(AGENT_SLEEP_MS)])} }`,
    `default_agents: [marker]`,
    `lanes: ${LANES}`,
    `evals:\n  - { name: check, run: ${JSON.stringify([NODE, "check.mjs"])} }`,
  ].join("\n");
  return kit.repoWith(config);
}

const kit = raceTestKit(() => h, "scale");
const marked = kit.markedAll;

/** Labels the issue and returns the race id, remembered for clean-up. */
async function startRace(repo: FakeRepo, issue: { number: number; title: string }): Promise<string> {
  const raceId = await kit.startRace(repo, issue, 30_000);
  races.push(raceId);
  return raceId;
}

/** Waits for the comparison, the race job and the final status, then lets late updates land. */
async function waitForFinish(repo: FakeRepo, issue: number, raceId: string): Promise<string> {
  const comparison = await waitFor(() => marked(repo, issue, "agent-race:comparison:")[0], 90_000, "comparison comment");
  await waitFor(async () => (await racesQueue.getJobState(`race-${raceId}`)) === "completed", 20_000, "race job completed");
  await waitFor(() => /finished/.test(marked(repo, issue, "agent-race:status:")[0]?.body ?? ""), 20_000, "final status");
  await new Promise((r) => setTimeout(r, 2500));
  return comparison.body;
}

/** The race completed once: one comparison comment, one status comment, one PR (best mode), one "race finished". */
async function expectCompletedOnce(repo: FakeRepo, issue: number, raceId: string, comparison: string, all: NamedWorker[]): Promise<void> {
  expect(marked(repo, issue, "agent-race:comparison:")).toHaveLength(1);
  expect(marked(repo, issue, "agent-race:status:")).toHaveLength(1);
  expect(h.fake.repo(repo).pulls.size).toBe(1);
  expect(all.flatMap((w) => logLines(w.proc.output(), "race finished", raceId))).toHaveLength(1);
  for (const lane of ALL_LANES) expect(comparison).toMatch(new RegExp(`\\[${lane}\\]\\([^)]*\\) \\| marker \\|[^\\n]*✅ passed`));
  expect(comparison.match(/✅ passed/g)?.length).toBe(LANES);
  expect(await lanesQueue.getJobCounts("failed", "active", "waiting", "delayed")).toMatchObject({ failed: 0, active: 0, waiting: 0, delayed: 0 });
}

/**
 * Finding: a lane's mirror fetch (under the mirror lock) runs while another lane of the same worker runs
 * `git worktree add` in that mirror (not under the lock), and git fetch fails with "bad object
 * worktrees/lane-N/HEAD". The job fails that attempt and BullMQ retries it (5 s backoff); the tests
 * tolerate it and print it rather than fail on it.
 */
function reportFailedAttempts(raceId: string, all: NamedWorker[]): void {
  const failures = all.flatMap((w) => logLines(w.proc.output(), "job failed").filter((l) => String(l.job).startsWith(`lane-${raceId}-`)).map((l) => `${w.name} ${String(l.job)}: ${String(l.err).slice(0, 120)}`));
  if (failures.length > 0) console.info(`[scale-out] lane attempts that failed and were retried:\n  ${failures.join("\n  ")}`);
}

const under = (marker: LaneMarker, worker: NamedWorker): boolean => marker.cwd.startsWith(`${worker.cacheDir}/`);
const lanesOf = (markers: LaneMarker[], worker: NamedWorker, event: LaneMarker["event"]): number[] =>
  markers.filter((m) => m.event === event && under(m, worker)).map((m) => m.lane).sort((a, b) => a - b);

describe("scale-out: two worker processes on one Redis", () => {
  it("splits an 8-lane race across both workers and completes it once", async () => {
    const markers = join(base, "scale1.markers");
    const repo = await scaleRepo(markers);
    const issue = h.fake.addIssue(repo, { title: "Fix the answer", body: "make it 42", user: "alice" });
    const [a, b] = await Promise.all([startWorker("A", "split"), startWorker("B", "split")]);
    const startedAt = Date.now();
    const raceId = await startRace(repo, issue);
    const comparison = await waitForFinish(repo, issue.number, raceId);
    const raceMs = Date.now() - startedAt;

    await expectCompletedOnce(repo, issue.number, raceId, comparison, [a, b]);
    // Each worker finished some lanes, every lane exactly once.
    const doneA = finishedLanes(a.proc.output(), raceId);
    const doneB = finishedLanes(b.proc.output(), raceId);
    console.info(`[scale-out] split: worker A ${doneA.length} lanes (${doneA.join(",")}), worker B ${doneB.length} lanes (${doneB.join(",")}); race ${raceMs} ms`);
    expect(doneA.length).toBeGreaterThan(0);
    expect(doneB.length).toBeGreaterThan(0);
    expect([...doneA, ...doneB].sort((x, y) => x - y)).toEqual(ALL_LANES);
    // The same split shows in each worker's lane logs and in where the agents ran.
    expect(laneLogs(a.cacheDir, raceId)).toEqual(doneA);
    expect(laneLogs(b.cacheDir, raceId)).toEqual(doneB);
    const seen = readMarkers(markers);
    expect(lanesOf(seen, a, "end")).toEqual(doneA);
    expect(lanesOf(seen, b, "end")).toEqual(doneB);
    expect(seen.filter((m) => m.event === "start")).toHaveLength(LANES);
    // LANE_CONCURRENCY 2 per worker, and the two workers really ran lanes at the same time.
    const ofA = seen.filter((m) => under(m, a));
    const ofB = seen.filter((m) => under(m, b));
    expect(maxConcurrent(ofA)).toBeLessThanOrEqual(2);
    expect(maxConcurrent(ofB)).toBeLessThanOrEqual(2);
    expect(maxConcurrent(seen)).toBeGreaterThanOrEqual(3);
    console.info(`[scale-out] agents at once: A ${maxConcurrent(ofA)}, B ${maxConcurrent(ofB)}, both ${maxConcurrent(seen)}`);
    // Nothing stalled in the healthy run. (A failed attempt, retried, is possible: see `reportFailedAttempts`.)
    for (const lane of ALL_LANES) expect((await lanesQueue.getJob(`lane-${raceId}-${lane}`))?.stalledCounter, `lane ${lane} stalls`).toBe(0);
    reportFailedAttempts(raceId, [a, b]);
  }, 120_000);

  it("a SIGKILLed worker's lanes are re-run by the other worker and the race completes once", async () => {
    const markers = join(base, "scale2.markers");
    const repo = await scaleRepo(markers);
    const issue = h.fake.addIssue(repo, { title: "Fix the answer", body: "make it 42", user: "alice" });
    const [a, b] = await Promise.all([startWorker("A", "kill"), startWorker("B", "kill")]);
    const startedAt = Date.now();
    const raceId = await startRace(repo, issue);

    // Kill A while one of its agents is mid-run: preferably after it finished a lane (so it has results
    // to keep), or once no lane is left waiting (it would not get another).
    const running = (): number[] => {
      const seen = readMarkers(markers);
      const ended = new Set(lanesOf(seen, a, "end"));
      return lanesOf(seen, a, "start").filter((lane) => !ended.has(lane));
    };
    const when = await waitFor(async () => {
      if (running().length === 0) return undefined;
      if (finishedLanes(a.proc.output(), raceId).length > 0) return "after A finished a lane";
      return (await lanesQueue.getWaitingCount()) === 0 ? "with no lane left waiting" : undefined;
    }, 60_000, "worker A mid-lane");
    const agents = processesIn(join(a.cacheDir, "worktrees"));
    const inFlight = running();
    a.proc.child.kill("SIGKILL");
    await a.proc.exited;
    const killedAt = Date.now();
    const doneBeforeKill = finishedLanes(a.proc.output(), raceId);
    // The killed worker's agents survive it (own process groups) until a worker re-runs their lanes
    // (worker-crash tests that); reap them now so the counts below are about the workers alone.
    const orphans = agents.filter((p) => isProcessAlive(p.pid));
    killProcessesIn(join(a.cacheDir, "worktrees"));
    console.info(`[scale-out] SIGKILLed worker A ${when} at ${killedAt - startedAt} ms: agents of lanes ${inFlight.join(",")} mid-run, lanes ${doneBeforeKill.join(",") || "none"} done; orphaned agents reaped: ${orphans.length}`);
    expect(inFlight.length).toBeGreaterThan(0);

    const comparison = await waitForFinish(repo, issue.number, raceId);
    const finishMs = Date.now() - killedAt;
    await expectCompletedOnce(repo, issue.number, raceId, comparison, [a, b]);

    const doneA = finishedLanes(a.proc.output(), raceId);
    const doneB = finishedLanes(b.proc.output(), raceId);
    console.info(`[scale-out] split after the kill: worker A ${doneA.length} lanes (${doneA.join(",") || "none"}), worker B ${doneB.length} lanes (${doneB.join(",")}); comparison ${finishMs} ms after the kill`);
    expect([...new Set([...doneA, ...doneB])].sort((x, y) => x - y)).toEqual(ALL_LANES);
    const seen = readMarkers(markers);
    for (const lane of inFlight) {
      // The stalled lane ran again, on B: its log, its agent's marker, its "lane finished".
      expect(doneB, `lane ${lane} finished on B`).toContain(lane);
      expect(laneLogs(b.cacheDir, raceId), `lane ${lane} log on B`).toContain(lane);
      expect(laneLogs(a.cacheDir, raceId), `lane ${lane} log on A`).toContain(lane);
      expect(lanesOf(seen, b, "end"), `lane ${lane} agent ended on B`).toContain(lane);
      const job = await lanesQueue.getJob(`lane-${raceId}-${lane}`);
      expect({ lane, stalled: job?.stalledCounter, rerun: (job?.attemptsStarted ?? 0) >= 2, after: (job?.finishedOn ?? 0) > killedAt })
        .toEqual({ lane, stalled: 1, rerun: true, after: true });
    }
    // Lanes A had finished keep A's result: not run again.
    for (const lane of doneBeforeKill) {
      expect(doneB, `lane ${lane} not re-run on B`).not.toContain(lane);
      expect((await lanesQueue.getJob(`lane-${raceId}-${lane}`))?.stalledCounter).toBe(0);
    }
    // Every lane that stalled (in flight on A, agent or not) was finished by B after the kill.
    const stalled: number[] = [];
    for (const lane of ALL_LANES) if (((await lanesQueue.getJob(`lane-${raceId}-${lane}`))?.stalledCounter ?? 0) > 0) stalled.push(lane);
    expect(stalled).toEqual(expect.arrayContaining(inFlight));
    for (const lane of stalled) expect(doneB, `stalled lane ${lane} finished on B`).toContain(lane);
    console.info(`[scale-out] stalled lanes re-run on B: ${stalled.join(",")}`);
    expect(processesIn(join(a.cacheDir, "worktrees"))).toEqual([]);
    expect(processesIn(join(b.cacheDir, "worktrees"))).toEqual([]);
    reportFailedAttempts(raceId, [a, b]);
  }, 120_000);
});
