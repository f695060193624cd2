import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killRecordedGroup } from "../../../src/process/kill-recorded-group.js";
import { processStartTime } from "../../../src/process/process-start-time.js";
import { runProcess } from "../../../src/process/run-process.js";
import { AgentGroups, type AgentGroup } from "../../../src/redis/agent-groups.js";
import { reapDeadWorkersAgents, reapLaneOrphan, recordAgentGroups } from "../../../src/workers/orphaned-agents.js";
import { isProcessAlive } from "../../helpers/is-process-alive.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `agent-race-test-${randomUUID()}`;
const log = pino({ level: "silent" });
const dir = mkdtempSync(join(tmpdir(), "agent-race-orphans-"));
let redis: Redis;
const started: ChildProcess[] = [];

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterEach(() => {
  for (const child of started.splice(0)) if (child.pid !== undefined) for (const target of [-child.pid, child.pid]) try { process.kill(target, "SIGKILL"); } catch { /* gone */ }
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

async function waitUntil(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let count = 0;
/** Like an agent: a process group of its own (detached) whose leader starts a child that sleeps forever. */
async function startAgentGroup(): Promise<{ leader: number; child: number; group: { pgid: number; startTime: number } }> {
  const pidFile = join(dir, `child-${++count}.pid`);
  const script = `const c = require("node:child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });` +
    `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000);`;
  const leader = spawn(process.execPath, ["-e", script], { detached: true, stdio: "ignore" });
  started.push(leader);
  await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").length > 0, "the agent's child");
  const pid = leader.pid as number;
  return { leader: pid, child: Number(readFileSync(pidFile, "utf8")), group: { pgid: pid, startTime: processStartTime(pid) as number } };
}

/** A "worker" that has exited: its pid and the start time it had. */
async function deadWorker(): Promise<{ pid: number; startTime: number }> {
  const worker = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  await waitUntil(() => processStartTime(worker.pid as number) !== null, "the worker");
  const record = { pid: worker.pid as number, startTime: processStartTime(worker.pid as number) as number };
  const exited = new Promise((r) => worker.once("exit", r));
  worker.kill("SIGKILL");
  await exited;
  return record;
}

const self = (): { workerPid: number; workerStartTime: number } => ({ workerPid: process.pid, workerStartTime: processStartTime(process.pid) as number });
const groups = (): AgentGroups => new AgentGroups(redis, prefix, `host-${randomUUID().slice(0, 8)}`);

describe("processStartTime and killRecordedGroup", () => {
  it("reads /proc start times: the same for one process, null for a gone one", async () => {
    const now = processStartTime(process.pid);
    expect(now).toBeGreaterThan(0);
    expect(processStartTime(process.pid)).toBe(now);
    const gone = await deadWorker();
    expect(processStartTime(gone.pid)).toBeNull();
  });

  it("kills the whole group only while the leader's start time matches the record", async () => {
    const agent = await startAgentGroup();
    expect(killRecordedGroup({ pgid: agent.group.pgid, startTime: agent.group.startTime + 1 })).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect([isProcessAlive(agent.leader), isProcessAlive(agent.child)]).toEqual([true, true]);
    expect(killRecordedGroup(agent.group)).toBe(true);
    await waitUntil(() => !isProcessAlive(agent.leader) && !isProcessAlive(agent.child), "the group to die");
    // Gone now: nothing matches any more.
    expect(killRecordedGroup(agent.group)).toBe(false);
  });
});

describe("agent process records", () => {
  it("records a running agent's group through runProcess's onSpawn and removes it when the agent exits", async () => {
    const store = groups();
    const pidFile = join(dir, "self.pid");
    const seen: Array<AgentGroup | null> = [];
    const run = runProcess(process.execPath, ["-e", `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setTimeout(() => {}, 600)`], {
      cwd: dir, env: { PATH: process.env.PATH ?? "" }, timeoutMs: 10_000,
      onSpawn: recordAgentGroups(store, { jobId: "lane-r1-2", raceId: "r1", lane: 2 }, log),
    });
    await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").length > 0, "the agent");
    await new Promise((r) => setTimeout(r, 100));
    seen.push(await store.get("lane-r1-2"));
    const result = await run;
    expect(result.exitCode).toBe(0);
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(seen[0]).toMatchObject({ pgid: pid, raceId: "r1", lane: 2, workerPid: process.pid, workerStartTime: self().workerStartTime });
    expect(seen[0]?.startTime).toBeGreaterThan(0);
    expect(await store.get("lane-r1-2")).toBeNull();
    expect(await store.all()).toEqual([]);
  });

  it("removes a record only while it is still the same one (a later run of the lane replaced it)", async () => {
    const store = groups();
    const first: AgentGroup = { pgid: 101, startTime: 5, ...self(), raceId: "r", lane: 1, at: 1 };
    const second: AgentGroup = { ...first, pgid: 202, at: 2 };
    await store.add("lane-r-1", first);
    await store.add("lane-r-1", second);
    await store.remove("lane-r-1", first);
    expect(await store.get("lane-r-1")).toEqual(second);
    await store.remove("lane-r-1", second);
    expect(await store.get("lane-r-1")).toBeNull();
  });

  it("a lane job starting kills the group recorded for the same job, unless the pid now names another process", async () => {
    const store = groups();
    const orphan = await startAgentGroup();
    const reused = await startAgentGroup();
    await store.add("lane-r-1", { ...orphan.group, ...self(), raceId: "r", lane: 1, at: Date.now() });
    // The record for lane 2 carries another start time: its pid was reused by an unrelated process.
    await store.add("lane-r-2", { pgid: reused.group.pgid, startTime: reused.group.startTime - 1, ...self(), raceId: "r", lane: 2, at: Date.now() });

    expect(await reapLaneOrphan(store, "lane-r-3", log)).toBe(false);
    expect(await reapLaneOrphan(store, "lane-r-1", log)).toBe(true);
    await waitUntil(() => !isProcessAlive(orphan.leader) && !isProcessAlive(orphan.child), "the orphaned group to die");
    expect(await reapLaneOrphan(store, "lane-r-2", log)).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect([isProcessAlive(reused.leader), isProcessAlive(reused.child)]).toEqual([true, true]);
    // Both records are gone either way.
    expect(await store.all()).toEqual([]);
  });

  it("at worker start, kills the agents of this host's dead workers and leaves live workers' agents alone", async () => {
    const store = groups();
    const dead = await deadWorker();
    const orphan = await startAgentGroup();
    const busy = await startAgentGroup();
    const stale = await startAgentGroup();
    await store.add("lane-a-1", { ...orphan.group, workerPid: dead.pid, workerStartTime: dead.startTime, raceId: "a", lane: 1, at: Date.now() });
    await store.add("lane-b-1", { ...busy.group, ...self(), raceId: "b", lane: 1, at: Date.now() });
    // A live pid with another start time is a reused pid: that worker is gone too. Its agent's pid was reused as well.
    await store.add("lane-c-1", { pgid: stale.group.pgid, startTime: stale.group.startTime + 7, workerPid: process.pid, workerStartTime: self().workerStartTime - 1, raceId: "c", lane: 1, at: Date.now() });
    // Another host's record is never looked at.
    const elsewhere = new AgentGroups(redis, prefix, "other-host");
    await elsewhere.add("lane-d-1", { ...busy.group, workerPid: dead.pid, workerStartTime: dead.startTime, raceId: "d", lane: 1, at: Date.now() });

    expect(await reapDeadWorkersAgents(store, log)).toBe(1);
    await waitUntil(() => !isProcessAlive(orphan.leader) && !isProcessAlive(orphan.child), "the dead worker's agent to die");
    await new Promise((r) => setTimeout(r, 200));
    expect([isProcessAlive(busy.leader), isProcessAlive(busy.child), isProcessAlive(stale.leader), isProcessAlive(stale.child)]).toEqual([true, true, true, true]);
    expect((await store.all()).map((r) => r.jobId)).toEqual(["lane-b-1"]);
    expect((await elsewhere.all()).map((r) => r.jobId)).toEqual(["lane-d-1"]);
  });
});
