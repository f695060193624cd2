import { randomUUID } from "node:crypto";
import { Worker } from "bullmq";
import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TASK_TEXT_LIMIT } from "../../../src/commands/cap-task-text.js";
import { buildRevisionTask } from "../../../src/commands/build-revision-task.js";
import { handleTrigger } from "../../../src/app/races/handle-trigger.js";
import { newRaceId } from "../../../src/pipeline/new-race-id.js";
import { laneJobSchema, raceJobSchema } from "../../../src/queue/job-data.js";
import { QUEUES } from "../../../src/queue/queue-names.js";
import type { RaceMeta } from "../../../src/model/race-state.js";
import { createApp, type WebhookHost } from "../../../src/webhooks/create-app.js";
import { processTriggerJob, releaseFailedTrigger } from "../../../src/workers/process-trigger-job.js";
import { waitFor } from "../../helpers/app-harness.js";
import { useStrictNock } from "../../helpers/strict-nock.js";
import {
  allJobIds, API, BASE_SHA, comment, CONFIG_YAML, createQueueEnv, ISSUE, label, mockComments, mockConfig, mockCreateComment,
  mockPermission, mockRaceStart, mockReaction, REPO_PATH, triggerJob, type QueueEnv,
} from "./trigger-fixtures.js";

const github = useStrictNock();
let env: QueueEnv;
beforeEach(() => {
  env = createQueueEnv();
});
afterEach(async () => {
  const { pending, requests } = github.settle();
  await env.close();
  expect(pending).toEqual([]);
  expect(requests).toEqual([]);
});

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");
const closed = (sender: { login: string; type: string }) => triggerJob({ kind: "issue-closed" }, { sender });

/** A promise with its resolve, to hold a mocked GitHub answer until the test lets it go. */
function deferred(): { promise: Promise<void>; release(): void } {
  let release = (): void => undefined;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

/** Resolves once `check` holds (polled), so a paused start is known to have reached its gate. */
async function until(check: () => boolean): Promise<void> {
  await waitFor(() => check() || undefined, 5_000, "the start to reach its gate");
}

/** A running race of the issue, as a start leaves it in Redis. */
async function runningRace(raceId = "abc123"): Promise<string> {
  await env.registry.issues.claim(99, ISSUE, raceId);
  const meta: RaceMeta = {
    raceId, installationId: 4242, repo: triggerJob(label()).repo, issueNumber: ISSUE, issueTitle: "Fix the flaky parser", task: "Fix the flaky parser", baseSha: "a".repeat(40), mode: "best",
    single: false, sender: "alice", state: "running", statusCommentId: 5001, comparisonCommentId: null, createdAt: 0, finishedAt: null, lanes: [], prs: {}, report: null, message: null,
  };
  await env.registry.races.save(meta);
  return raceId;
}

describe("issues.closed is authorized", () => {
  it("a read-only user's close leaves the race running, with one short reply", async () => {
    const raceId = await runningRace();
    const bodies: string[] = [];
    mockPermission("mallory", "read");
    mockComments([]);
    mockCreateComment(bodies);
    expect(await handleTrigger(closed({ login: "mallory", type: "User" }), env.deps())).toBe("close-refused:insufficient-permission");
    expect(await env.registry.cancels.isCancelled(raceId)).toBe(false);
    expect(await env.registry.issues.active(99, ISSUE)).toBe(raceId);
    expect(bodies).toEqual([expect.stringContaining("only people with write access can stop agent-race")]);
    expect(await env.queues.status.getJobs(["waiting", "delayed"])).toEqual([]);
  });

  it("a bot's close (a merge queue merging `Fixes #N`) does not cancel and says nothing", async () => {
    const raceId = await runningRace();
    expect(await handleTrigger(closed({ login: "github-merge-queue[bot]", type: "Bot" }), env.deps())).toBe("close-refused:bot");
    expect(await env.registry.cancels.isCancelled(raceId)).toBe(false);
  });

  it("fails closed when the permission API fails: the race goes on", async () => {
    const raceId = await runningRace();
    mockPermission("alice", "boom", 500);
    expect(await handleTrigger(closed({ login: "alice", type: "User" }), env.deps())).toBe("close-refused:permission-check-failed");
    expect(await env.registry.cancels.isCancelled(raceId)).toBe(false);
  });

  it("a writer's close (or the merger of a `Fixes #N` PR) still cancels the race", async () => {
    const raceId = await runningRace();
    mockPermission("alice", "write");
    expect(await handleTrigger(closed({ login: "alice", type: "User" }), env.deps())).toBe("cancelled");
    expect(await env.registry.cancels.isCancelled(raceId)).toBe(true);
    expect((await env.registry.races.get(raceId))?.message).toContain("Cancelled because the issue was closed");
  });

  it("a close with no race on the issue asks GitHub nothing", async () => {
    expect(await handleTrigger(closed({ login: "mallory", type: "User" }), env.deps())).toBe("nothing-to-cancel");
  });
});

describe("a cancel against a start still under way", () => {
  /** A writer's `/cancel` comment, handled while the start is paused; received after the start's trigger. */
  async function cancelNow(receivedAt: number): Promise<string> {
    mockPermission("alice", "write");
    mockReaction(1001);
    mockConfig(CONFIG_YAML);
    return handleTrigger(triggerJob(comment("/cancel")), { ...env.deps(), receivedAt });
  }

  /**
   * Starts a race, sends a writer's `/cancel` once the start is paused at `gate` (`paused()`), then
   * lets the start go on: the cancel is taken and the start ends as cancelled. Returns the race id.
   */
  async function cancelWhilePaused(gate: { release(): void }, paused: () => boolean): Promise<string> {
    const startJob = triggerJob(label());
    const raceId = newRaceId(6, startJob.deliveryId);
    const received = Date.now();
    const start = handleTrigger(startJob, { ...env.deps(), receivedAt: received });
    await until(paused);
    expect(await cancelNow(received + 1)).toBe("cancelled");
    gate.release();
    expect(await start).toBe("race-cancelled");
    return raceId;
  }

  /** The mocks a second race start needs, then the start: the issue can race again. */
  async function raceAgain(): Promise<void> {
    mockPermission("alice", "write");
    mockConfig(CONFIG_YAML);
    mockRaceStart([]);
    expect(await handleTrigger(triggerJob(label()), { ...env.deps(), receivedAt: Date.now() + 10 })).toBe("race-started");
  }

  it("wins while the start fetches the base branch: no flow, the status says cancelled, the issue races again", async () => {
    const gate = deferred();
    let reached = false;
    const bodies: string[] = [];
    mockPermission("alice", "write");
    mockConfig(CONFIG_YAML);
    nock(API).get(`${REPO_PATH}/branches/main`).reply((_uri, _body, callback) => {
      reached = true;
      void gate.promise.then(() => callback(null, [200, { name: "main", commit: { sha: BASE_SHA } }]));
    });
    mockComments([]);
    mockCreateComment(bodies);
    const raceId = await cancelWhilePaused(gate, () => reached);

    expect(await allJobIds(env)).toEqual([`status:${await statusJobId(raceId)}`]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("🛑 agent-race: cancelled");
    expect(bodies[0]).toContain("Cancelled before it started; nothing ran.");
    expect(await env.registry.issues.active(99, ISSUE)).toBeNull();
    expect(await env.registry.waits.runningRaces(99)).toEqual([]);
    expect((await env.registry.races.get(raceId))?.state).toBe("cancelled");
    await raceAgain();
  });

  it("wins while the start posts its status comment: the comment is turned to cancelled, nothing is enqueued", async () => {
    const gate = deferred();
    let reached = false;
    const posted: string[] = [];
    mockPermission("alice", "write");
    mockConfig(CONFIG_YAML);
    nock(API).get(`${REPO_PATH}/branches/main`).reply(200, { name: "main", commit: { sha: BASE_SHA } });
    mockComments([]);
    nock(API).post(`${REPO_PATH}/issues/${ISSUE}/comments`, (body: { body: string }) => posted.push(body.body) > 0).reply((_uri, _body, callback) => {
      reached = true;
      void gate.promise.then(() => callback(null, [201, { id: 5001 }]));
    });
    nock(API).patch(`${REPO_PATH}/issues/comments/5001`, (body: { body: string }) => posted.push(body.body) > 0).reply(200, { id: 5001 });
    const raceId = await cancelWhilePaused(gate, () => reached);

    expect(await env.races.getJob(`race-${raceId}`)).toBeUndefined();
    expect((await allJobIds(env)).filter((id) => !id.startsWith("status:"))).toEqual([]);
    expect(posted[0]).toContain("(queued)");
    expect(posted[1]).toContain("🛑 agent-race: cancelled");
    expect(await env.registry.issues.active(99, ISSUE)).toBeNull();
    await raceAgain();
  });

  it("wins even before the start has claimed the issue (the cancel finds no race yet)", async () => {
    const gate = deferred();
    let reached = false;
    const bodies: string[] = [];
    mockPermission("alice", "write");
    nock(API).get(`${REPO_PATH}/contents/.github%2Fagent-race.yml`).query({ ref: "main" }).reply((_uri, _body, callback) => {
      reached = true;
      void gate.promise.then(() => callback(null, [200, CONFIG_YAML, { "content-type": "application/vnd.github.raw; charset=utf-8" }]));
    });
    const startJob = triggerJob(label());
    const received = Date.now();
    const start = handleTrigger(startJob, { ...env.deps(), receivedAt: received });
    await until(() => reached);
    mockCreateComment(bodies); // the cancel's "no running race" reply
    expect(await cancelNow(received + 1)).toBe("nothing-to-cancel");
    nock(API).get(`${REPO_PATH}/branches/main`).reply(200, { name: "main", commit: { sha: BASE_SHA } });
    mockComments([]);
    mockCreateComment(bodies, 5002);
    gate.release();
    expect(await start).toBe("race-cancelled");
    expect((await allJobIds(env)).filter((id) => !id.startsWith("status:"))).toEqual([]);
    expect(bodies[1]).toContain("🛑 agent-race: cancelled");
    expect(await env.registry.issues.active(99, ISSUE)).toBeNull();
    await raceAgain();
  });

  it("a cancel received after the race was queued cancels the running race as before", async () => {
    mockPermission("alice", "write");
    mockConfig(CONFIG_YAML);
    mockRaceStart([]);
    const startJob = triggerJob(label());
    expect(await handleTrigger(startJob, { ...env.deps(), receivedAt: Date.now() })).toBe("race-started");
    expect(await cancelNow(Date.now() + 1)).toBe("cancelled");
    expect(await env.registry.cancels.isCancelled(newRaceId(6, startJob.deliveryId))).toBe(true);
  });
});

async function statusJobId(raceId: string): Promise<string> {
  const jobs = await env.queues.status.getJobs(["waiting", "delayed"]);
  const job = jobs.find((j) => (j.data as { raceId?: string }).raceId === raceId);
  return String(job?.id);
}

describe("text caps", () => {
  it("a 1 MB issue body becomes a task of at most 64 KB in every job, and the status comment says it was cut", async () => {
    const bodies: string[] = [];
    mockPermission("alice", "write");
    mockConfig(CONFIG_YAML);
    mockRaceStart(bodies);
    const job = triggerJob(label(), { issue: { number: ISSUE, title: "Huge", body: `${"The parser fails. ".repeat(60_000)}END`, isPullRequest: false } });
    expect(bytes(job.issue.body)).toBeGreaterThan(1024 * 1024);
    expect(await handleTrigger(job, env.deps())).toBe("race-started");
    const raceId = newRaceId(6, job.deliveryId);
    const race = raceJobSchema.parse((await env.races.getJob(`race-${raceId}`))!.data);
    expect(bytes(race.task)).toBeLessThanOrEqual(TASK_TEXT_LIMIT);
    expect(race.task.startsWith("Huge\n\nThe parser fails.")).toBe(true);
    expect(race.task).toContain("The rest of this text was cut");
    expect(race.task).not.toContain("END");
    for (const lane of [1, 2]) {
      // The lanes read the task from the race job: their own jobs do not carry a copy.
      const data = (await env.lanes.getJob(`lane-${raceId}-${lane}`))!.data as Record<string, unknown>;
      expect(laneJobSchema.parse(data).lane).toBe(lane);
      expect(bytes(JSON.stringify(data))).toBeLessThan(1024);
    }
    expect(bodies[0]).toContain("The issue text was cut to 64 KB");
    expect(bodies[0]!.length).toBeLessThan(65_536);
  });

  it("a short issue body is passed whole, with no cut note", async () => {
    const bodies: string[] = [];
    mockPermission("alice", "write");
    mockConfig(CONFIG_YAML);
    mockRaceStart(bodies);
    const job = triggerJob(label());
    await handleTrigger(job, env.deps());
    expect(raceJobSchema.parse((await env.races.getJob(`race-${newRaceId(6, job.deliveryId)}`))!.data).task).toBe("Fix the flaky parser\n\nIt fails on empty input.");
    expect(bodies[0]).not.toContain("was cut");
  });

  it("a 240 KB invalid config yields an error comment that fits and still says what is wrong", async () => {
    const lines = ["lanes: 99", "agents:"];
    for (let i = 0; lines.join("\n").length < 240 * 1024; i++) lines.push(`  agent${i}:`, `    command: ${i}`, "    timeout: nope");
    const bodies: string[] = [];
    mockPermission("alice", "write");
    mockConfig(lines.join("\n"));
    mockComments([]);
    mockCreateComment(bodies);
    expect(await handleTrigger(triggerJob(label()), env.deps())).toBe("config-error");
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.length).toBeLessThanOrEqual(65_536);
    expect(bodies[0]).toContain("the repository config is invalid");
    expect(bodies[0]).toContain("expected array, received number");
    expect(bodies[0]).toContain("agents.agent0.command");
    expect(bodies[0]).toContain("Fix `.github/agent-race.yml` on `main`");
  });

  it("a revision task built from a huge review stays under 64 KB", () => {
    const hunk = "@@ -1 +1 @@\n-a\n+b\n".repeat(2000);
    const task = buildRevisionTask({
      originalTask: "x".repeat(200_000), reviewer: "alice", body: "Please fix. ".repeat(20_000),
      comments: Array.from({ length: 50 }, (_, i) => ({ path: `src/f${i}.ts`, line: i, diffHunk: hunk, body: "wrong ".repeat(2000), author: "alice" })),
    });
    expect(bytes(task)).toBeLessThanOrEqual(TASK_TEXT_LIMIT);
    expect(task).toContain("Original task:");
    expect(task).toContain("asked for changes");
    expect(task).toContain("Review:");
  });
});

describe("redelivery after a trigger finally fails", () => {
  it("releases the delivery claim and the failed job, so the same delivery is taken again", async () => {
    const hosts: Array<(event: { id: string; payload: unknown }) => Promise<void>> = [];
    const host = { on: (name: string, handler: (event: { id: string; payload: unknown }) => Promise<void>) => (name === "issues.labeled" ? hosts.push(handler) : undefined), log: { info: () => undefined } } as unknown as WebhookHost;
    createApp({ queues: env.queues, registry: env.registry })(host);
    const deliveryId = randomUUID();
    const payload = {
      label: { name: "agent:race" }, installation: { id: 4242 }, sender: { login: "alice", type: "User" }, issue: { number: ISSUE, title: "Fix", body: "b" },
      repository: { id: 99, name: "widgets", owner: { login: "octo" }, clone_url: "https://github.com/octo/widgets.git", html_url: "https://github.com/octo/widgets", default_branch: "main" },
    };
    const deliver = () => hosts[0]!({ id: deliveryId, payload });

    await deliver();
    await deliver(); // a duplicate while the first is queued: ignored
    expect(await env.queues.triggers.getJobCounts("waiting", "delayed", "active")).toMatchObject({ waiting: 1 });

    let attempts = 0;
    const deps = {
      queues: env.queues, registry: env.registry, operator: env.deps().operator, log: pino({ level: "silent" }),
      github: { gitHost: "https://github.com/", appSlug: async () => "agent-race", tokenFor: async () => "x", clientFor: async () => {
        attempts++;
        throw new Error("GitHub is down");
      } },
    } satisfies Parameters<typeof processTriggerJob>[1];
    const worker = new Worker(QUEUES.triggers, (job) => processTriggerJob(job, deps), { connection: env.redis.duplicate({ maxRetriesPerRequest: null }), prefix: env.prefix });
    const released: boolean[] = [];
    worker.on("failed", (job, error) => void releaseFailedTrigger(job, error, deps).then((r) => released.push(r)));
    try {
      await waitFor(() => released.includes(true), 20_000, "the last attempt to fail and release");
    } finally {
      await worker.close();
    }
    expect(attempts).toBe(3);
    expect(released).toEqual([false, false, true]);
    expect(await env.queues.triggers.getJob(`trigger-${deliveryId}`)).toBeUndefined();

    await deliver(); // the manual redelivery from GitHub's UI
    const again = await env.queues.triggers.getJob(`trigger-${deliveryId}`);
    expect(again).toBeDefined();
    expect(await again!.getState()).toBe("waiting");
  }, 30_000);

  it("a job that fails but will be retried keeps its claim", async () => {
    await env.registry.deliveries.claim("d-1");
    const deps = { queues: env.queues, registry: env.registry, operator: env.deps().operator, log: pino({ level: "silent" }), github: {} } as unknown as Parameters<typeof releaseFailedTrigger>[2];
    const job = { attemptsMade: 1, opts: { attempts: 3 }, data: triggerJob(label(), { deliveryId: "d-1" }), remove: async () => undefined } as unknown as Parameters<typeof releaseFailedTrigger>[0];
    expect(await releaseFailedTrigger(job, new Error("x"), deps)).toBe(false);
    expect(await env.registry.deliveries.claim("d-1")).toBe(false);
  });
});


