import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FakeRepo } from "../helpers/fake-github/index.js";
import { raceTestKit } from "../helpers/race-test-kit.js";
import { REDIS_URL, startAppHarness, waitFor, type AppHarness, UNSANDBOXED_OPERATOR } from "../helpers/app-harness.js";
import { isProcessAlive } from "../helpers/is-process-alive.js";
import { logLines } from "../helpers/lane-markers.js";
import { agentCommand, CHECK_EVALS, NODE } from "../helpers/race-fixture.js";
import { killProcessesIn, processesIn, startWorkerChild, type WorkerChild } from "../helpers/worker-process.js";

// Crash and shutdown of `agent-race worker` processes: the app runs as `serve --no-worker` and the
// workers are real child processes of the built CLI, killed with SIGKILL or stopped with SIGTERM.

const evals = CHECK_EVALS;

let h: AppHarness;
let redis: Redis;
let lanesQueue: Queue;
let racesQueue: Queue;
let worktrees: string;
const workers: WorkerChild[] = [];
const races: string[] = [];

beforeAll(async () => {
  h = await startAppHarness({ operator: UNSANDBOXED_OPERATOR, files: { "README.md": "# unused\n" }, withWorker: false, env: { AGENT_RACE_LOCK_MS: "2000" } });
  worktrees = join(realpathSync(h.dir), "cache", "worktrees");
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  lanesQueue = new Queue("lanes", { connection: redis, prefix: h.prefix });
  racesQueue = new Queue("races", { connection: redis, prefix: h.prefix });
});

afterEach(async (context) => {
  const failed = context.task.result?.state === "fail";
  for (const worker of workers.splice(0)) {
    await worker.kill();
    if (failed) console.error(`--- worker ${worker.pid} log ---\n${worker.output().slice(-6000)}`);
  }
  // Agents run in process groups of their own and outlive a SIGKILLed worker: reap them.
  if (worktrees && existsSync(worktrees)) killProcessesIn(worktrees);
  // No race of this test may be picked up by the next test's worker.
  for (const raceId of races.splice(0)) await racesQueue.remove(`race-${raceId}`, { removeChildren: true }).catch(() => undefined);
});

afterAll(async () => {
  await lanesQueue?.close();
  await racesQueue?.close();
  redis?.disconnect();
  await h?.close();
});

/** The worker CLI with the server's environment (GIT_CONFIG_* from the test setup included). */
async function startWorker(): Promise<WorkerChild> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith("VITEST")) env[key] = value;
  const worker = await startWorkerChild({
    ...env, ...h.envVars, AGENT_RACE_LOCK_MS: "2000", AGENT_RACE_GITHUB_THROTTLE: "off", LOG_LEVEL: "info",
  });
  workers.push(worker);
  return worker;
}

const kit = raceTestKit(() => h, "crash");
const { repoWith, markedAll: marked } = kit;

/** Labels the issue and returns the race id, remembered for clean-up. */
async function startRace(repo: FakeRepo, issue: { number: number; title: string }): Promise<string> {
  const raceId = await kit.startRace(repo, issue);
  races.push(raceId);
  return raceId;
}

const leftInWorktrees = (raceId: string): string[] => {
  try {
    return readdirSync(join(worktrees, raceId));
  } catch {
    return [];
  }
};

describe("worker crash and shutdown", () => {
  it("a lane whose worker is SIGKILLed stalls, re-runs on another worker that kills the orphaned agent, and the race completes once", async () => {
    // Lane 2's agent records each start and the child it starts (in its process group), then waits for
    // a gate file before it writes the fix: the test decides when it may finish, however slow the machine.
    const gate = join(h.dir, "lane-2.gate");
    const starts = join(h.dir, "lane-2.starts");
    const children = join(h.dir, "lane-2.children");
    const gatedAgent = join(h.dir, "gated-agent.mjs");
    await writeFile(gatedAgent, [
      `import { spawn } from "node:child_process";`,
      `import { appendFileSync, existsSync, writeFileSync } from "node:fs";`,
      `const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });`,
      `child.unref();`,
      `appendFileSync(${JSON.stringify(children)}, child.pid + "\\n");`,
      `appendFileSync(${JSON.stringify(starts)}, process.pid + "\\n");`,
      `while (!existsSync(${JSON.stringify(gate)})) await new Promise((r) => setTimeout(r, 50));`,
      `writeFileSync("src/answer.txt", "42\\n");`,
    ].join("\n"));
    const repo = await repoWith(
      `agents:\n  fast: { command: ${agentCommand("--write", "src/answer.txt=42")} }\n  slow: { command: ${JSON.stringify([NODE, gatedAgent])} }\n` +
        `default_agents: [fast, slow]\nlanes: 2\n${evals}`,
    );
    const issue = h.fake.addIssue(repo, { title: "Fix the answer", body: "make it 42", user: "alice" });
    const first = await startWorker();
    const raceId = await startRace(repo, issue);
    const laneDir = join(worktrees, raceId, "lane-2");

    // Lane 1 is done; lane 2's agent is mid-run when its worker dies.
    await waitFor(async () => (await lanesQueue.getJobState(`lane-${raceId}-1`)) === "completed", 30_000, "lane 1 completed");
    const agents = await waitFor(() => (existsSync(children) && processesIn(laneDir).length >= 2 ? processesIn(laneDir) : undefined), 20_000, "lane 2 agent and its child running");
    const [agentPid] = readFileSync(starts, "utf8").trim().split("\n").map(Number);
    const [grandchild] = readFileSync(children, "utf8").trim().split("\n").map(Number);
    expect(agents.map((p) => p.pid)).toEqual(expect.arrayContaining([agentPid, grandchild]));
    expect(await lanesQueue.getJobState(`lane-${raceId}-2`)).toBe("active");
    // The second worker is up before the first dies: its start-up sweep leaves a live worker's agents alone.
    const second = await startWorker();
    expect(agents.filter((p) => isProcessAlive(p.pid))).toEqual(agents);
    first.child.kill("SIGKILL");
    await first.exited;
    const killedAt = Date.now();
    await new Promise((r) => setTimeout(r, 200));
    // The killed worker's agent survives it (own process group, nobody left to stop it)...
    expect(agents.filter((p) => isProcessAlive(p.pid))).toEqual(agents);

    // ...until the second worker takes the stalled lane: it kills the recorded group before running it again.
    await waitFor(() => readFileSync(starts, "utf8").trim().split("\n").length === 2, 30_000, "lane 2's agent started again");
    expect(agents.filter((p) => isProcessAlive(p.pid))).toEqual([]);
    expect(logLines(second.output(), "orphaned agent killed").map((l) => ({ job: l.job, pgid: l.pgid, workerPid: l.workerPid })))
      .toEqual([{ job: `lane-${raceId}-2`, pgid: agentPid, workerPid: first.pid }]);
    console.info(`[worker-crash] orphaned agent group ${agentPid} (agent and child ${grandchild}) killed by the worker that re-ran the lane, ${Date.now() - killedAt} ms after the SIGKILL`);
    await writeFile(gate, "go\n");

    const comparison = await waitFor(() => marked(repo, issue.number, "agent-race:comparison:")[0], 40_000, "comparison comment");
    const rerunMs = Date.now() - killedAt;
    await waitFor(async () => (await racesQueue.getJobState(`race-${raceId}`)) === "completed", 20_000, "race job completed");
    // Let any late status updates land before counting comments.
    await waitFor(() => /finished/.test(marked(repo, issue.number, "agent-race:status:")[0]?.body ?? ""), 20_000, "final status");
    await new Promise((r) => setTimeout(r, 2500));

    expect(marked(repo, issue.number, "agent-race:comparison:")).toHaveLength(1);
    expect(marked(repo, issue.number, "agent-race:status:")).toHaveLength(1);
    expect(h.fake.repo(repo).pulls.size).toBe(1);
    // Both lanes are in the comparison, the stalled one with its re-run's (passing) result.
    expect(comparison.body).toMatch(/\[1\]\([^)]*\) \| fast \|[^\n]*✅ passed/);
    expect(comparison.body).toMatch(/\[2\]\([^)]*\) \| slow \|[^\n]*✅ passed/);
    const lane2 = await lanesQueue.getJob(`lane-${raceId}-2`);
    expect(lane2?.stalledCounter).toBe(1);
    expect(lane2?.attemptsStarted).toBe(2);
    expect(lane2?.finishedOn).toBeGreaterThan(killedAt);
    expect(readFileSync(starts, "utf8").trim().split("\n")).toHaveLength(2);
    const lane1 = await lanesQueue.getJob(`lane-${raceId}-1`);
    expect(lane1?.attemptsStarted).toBe(1);
    expect(await lanesQueue.getJobCounts("failed", "active", "waiting", "delayed")).toMatchObject({ failed: 0, active: 0, waiting: 0, delayed: 0 });
    expect(leftInWorktrees(raceId)).toEqual([]);
    expect(processesIn(join(worktrees, raceId))).toEqual([]);
    console.info(`[worker-crash] SIGKILL → comparison in ${rerunMs} ms`);
  }, 90_000);

  it("SIGTERM stops the agent, leaves no worktree, and hands the lane job back without spending an attempt", async () => {
    await sigtermHandsBack([]);
  }, 45_000);

  it("SIGTERM hands the lane back also when the agent had already edited files", async () => {
    await sigtermHandsBack(["--write", "src/answer.txt=42"]);
  }, 45_000);

  it("a restarted worker kills the agent its SIGKILLed predecessor left running, before it takes any job", async () => {
    const pidFile = join(h.dir, "orphan-grandchild.pid");
    const repo = await repoWith(`agents:\n  stuck: { command: ${agentCommand("--hang", "--child-pid-file", pidFile)}, timeout: 10m }\ndefault_agents: [stuck]\nlanes: 1\n${evals}`);
    const issue = h.fake.addIssue(repo, { title: "Hang", body: "x", user: "alice" });
    const first = await startWorker();
    const raceId = await startRace(repo, issue);
    const grandchild = await waitFor(() => (existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) || undefined : undefined), 25_000, "agent's child pid file");
    const tree = processesIn(join(worktrees, raceId, "lane-1"));
    expect(tree.map((p) => p.pid)).toContain(grandchild);
    expect(tree.length).toBeGreaterThanOrEqual(2);

    first.child.kill("SIGKILL");
    await first.exited;
    await new Promise((r) => setTimeout(r, 200));
    expect(tree.filter((p) => isProcessAlive(p.pid))).toEqual(tree);
    // The sweep runs before the new worker takes jobs, so before it logs "worker started" (and long
    // before the stalled lane could run again).
    const restarted = await startWorker();
    expect(tree.filter((p) => isProcessAlive(p.pid))).toEqual([]);
    expect(logLines(restarted.output(), "orphaned agent killed").map((l) => ({ job: l.job, workerPid: l.workerPid })))
      .toEqual([{ job: `lane-${raceId}-1`, workerPid: first.pid }]);
  }, 45_000);
});

let hangCount = 0;
async function sigtermHandsBack(agentArgs: string[]): Promise<void> {
  const pidFile = join(h.dir, `hang-grandchild-${++hangCount}.pid`);
  const repo = await repoWith(`agents:\n  stuck: { command: ${agentCommand(...agentArgs, "--hang", "--child-pid-file", pidFile)}, timeout: 10m }\ndefault_agents: [stuck]\nlanes: 1\n${evals}`);
  const issue = h.fake.addIssue(repo, { title: "Hang", body: "x", user: "alice" });
  const worker = await startWorker();
  const raceId = await startRace(repo, issue);
  const laneDir = join(worktrees, raceId, "lane-1");

  const grandchild = await waitFor(() => (existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) || undefined : undefined), 25_000, "agent's child pid file");
  const tree = processesIn(laneDir).map((p) => p.pid);
  expect(tree).toContain(grandchild);
  expect(tree.length).toBeGreaterThanOrEqual(2);
  expect(await lanesQueue.getJobState(`lane-${raceId}-1`)).toBe("active");

  const signalledAt = Date.now();
  worker.child.kill("SIGTERM");
  const exit = await Promise.race([worker.exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
  const exitMs = Date.now() - signalledAt;
  expect(exit, `worker still running ${exitMs} ms after SIGTERM`).not.toBeNull();
  expect(exit?.code).toBe(0);
  console.info(`[worker-crash] SIGTERM → worker exit in ${exitMs} ms`);

  expect(tree.filter((pid) => isProcessAlive(pid))).toEqual([]);
  expect(leftInWorktrees(raceId)).toEqual([]);
  const job = await lanesQueue.getJob(`lane-${raceId}-1`);
  expect({ state: await lanesQueue.getJobState(`lane-${raceId}-1`), attemptsMade: job?.attemptsMade, failedReason: job?.failedReason ?? "" })
    .toMatchObject({ state: expect.stringMatching(/^(waiting|delayed|prioritized)$/), attemptsMade: 0, failedReason: "" });
  expect((await lanesQueue.getFailed()).filter((j) => j.id?.includes(raceId))).toEqual([]);
  expect(await racesQueue.getJobState(`race-${raceId}`)).toBe("waiting-children");
  expect(h.fake.repo(repo).pulls.size).toBe(0);
  expect(marked(repo, issue.number, "agent-race:comparison:")).toHaveLength(0);
  const laneState = JSON.parse((await redis.hget(`${h.prefix}:race:${raceId}`, "lane:1")) ?? "{}") as { step?: string; status?: string };
  console.info(`[worker-crash] lane state recorded for the handed-back lane: ${laneState.step}/${laneState.status ?? "-"}`);
  // afterEach removes the race with its lane job, so no later worker runs either; the prefix's keys go in afterAll.
}
