import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import nock from "nock";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import { operatorConfigSchema, type OperatorConfig } from "../../../src/config/operator-config.js";
import type { TriggerDeps } from "../../../src/app/races/trigger-deps.js";
import { RACE_LABELS } from "../../../src/github/race-labels.js";
import type { Trigger, TriggerJob } from "../../../src/queue/job-data.js";
import { JobQueues } from "../../../src/queue/job-queues.js";
import { QUEUES } from "../../../src/queue/queue-names.js";
import { RaceRegistry } from "../../../src/redis/race-registry.js";
import { deleteKeys, REDIS_URL } from "../../helpers/app-harness.js";
import { OctokitRepoClient } from "../../../src/github/octokit-repo-client.js";
import { JOB_VERSION } from "../../../src/queue/job-data.js";

export const API = "https://api.github.com";
export const REPO_PATH = "/repos/octo/widgets";
export const ISSUE = 7;
/** Looks like an installation token, so a leak into job data is easy to spot. */
export const TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
export const BASE_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
export const CONFIG_YAML = [
  "lanes: 2",
  "default_agents: [alpha, beta]",
  "agents:",
  "  alpha:",
  "    command: [node, alpha.js]",
  "  beta:",
  "    command: [node, beta.js]",
  "",
].join("\n");

export function triggerJob(trigger: Trigger, change: Partial<TriggerJob> = {}): TriggerJob {
  return {
    v: JOB_VERSION, deliveryId: randomUUID(), installationId: 4242,
    repo: { id: 99, owner: "octo", name: "widgets", cloneUrl: "https://github.com/octo/widgets.git", htmlUrl: "https://github.com/octo/widgets", defaultBranch: "main" },
    sender: { login: "alice", type: "User" },
    issue: { number: ISSUE, title: "Fix the flaky parser", body: "It fails on empty input.", isPullRequest: false },
    trigger,
    ...change,
  };
}

export const label = (name: "agent:race" | "agent:run" = "agent:race"): Trigger => ({ kind: "label", label: name });
export const comment = (body: string, commentId = 1001): Trigger => ({ kind: "comment", commentId, body });

/** Real queues and registry on a prefix of their own, plus read access to the races and lanes queues. */
export interface QueueEnv {
  prefix: string;
  redis: Redis;
  queues: JobQueues;
  registry: RaceRegistry;
  races: Queue;
  lanes: Queue;
  deps(operator?: Partial<OperatorConfig>): TriggerDeps;
  close(): Promise<void>;
}

export function createQueueEnv(): QueueEnv {
  const prefix = `agent-race-test-${randomUUID()}`;
  const redis = new Redis(REDIS_URL);
  const queues = new JobQueues(redis, prefix);
  const registry = new RaceRegistry(redis, prefix);
  const races = new Queue(QUEUES.races, { connection: redis, prefix });
  const lanes = new Queue(QUEUES.lanes, { connection: redis, prefix });
  const octokit = new ProbotOctokit({ auth: { token: TOKEN }, throttle: { enabled: false }, retry: { enabled: false } });
  return {
    prefix, redis, queues, registry, races, lanes,
    deps: (operator = {}) => ({
      github: new OctokitRepoClient(octokit, "octo", "widgets"), queues, registry, appSlug: "agent-race", log: pino({ level: "silent" }),
      operator: operatorConfigSchema.parse({ allow_repo_agents: true, ...operator }),
    }),
    close: async () => {
      await Promise.all([queues.close(), races.close(), lanes.close()]);
      await redis.quit();
      await deleteKeys(prefix);
    },
  };
}

/** Every job id in the races, lanes and status queues, whatever its state. */
export async function allJobIds(env: QueueEnv): Promise<string[]> {
  const states = ["waiting", "waiting-children", "active", "delayed", "prioritized", "completed", "failed", "paused"] as const;
  const jobs = await Promise.all([env.races, env.lanes, env.queues.status].map((queue) => queue.getJobs([...states])));
  return jobs.flat().map((job) => `${job.queueName}:${job.id}`).sort();
}

// nock builders, one per endpoint.

export function mockPermission(login: string, permission: string, status = 200): void {
  const body = status === 200 ? { permission, role_name: permission, user: { login } } : { message: permission };
  nock(API).get(`${REPO_PATH}/collaborators/${encodeURIComponent(login)}/permission`).reply(status, body);
}

export function mockConfig(text: string | null): void {
  const scope = nock(API).get(`${REPO_PATH}/contents/.github%2Fagent-race.yml`).query({ ref: "main" });
  if (text === null) scope.reply(404, { message: "Not Found" });
  else scope.reply(200, text, { "content-type": "application/vnd.github.raw; charset=utf-8" });
}

export function mockReaction(commentId: number): void {
  nock(API).post(`${REPO_PATH}/issues/comments/${commentId}/reactions`, { content: "eyes" }).reply(201, { id: 1, content: "eyes" });
}

/** The issue's comments, as `listComments` returns them (one page). */
export function mockComments(comments: Array<{ id: number; body: string; bot?: boolean }> = []): void {
  nock(API)
    .get(`${REPO_PATH}/issues/${ISSUE}/comments`)
    .query({ per_page: 100 })
    .reply(200, comments.map((c) => ({ id: c.id, body: c.body, user: { login: c.bot === false ? "alice" : "agent-race[bot]", type: c.bot === false ? "User" : "Bot" } })));
}

/** A new comment on the issue; its body goes into `bodies`. */
export function mockCreateComment(bodies: string[], id = 5001): void {
  nock(API)
    .post(`${REPO_PATH}/issues/${ISSUE}/comments`, (body: { body: string }) => {
      bodies.push(body.body);
      return true;
    })
    .reply(201, { id });
}

/** Everything `startRace` calls after the config: branch, status comment, labels. */
export function mockRaceStart(bodies: string[], existingStatus?: { id: number; body: string }): void {
  nock(API).get(`${REPO_PATH}/branches/main`).reply(200, { name: "main", commit: { sha: BASE_SHA } });
  if (existingStatus) {
    mockComments([existingStatus]);
    nock(API)
      .patch(`${REPO_PATH}/issues/comments/${existingStatus.id}`, (body: { body: string }) => {
        bodies.push(body.body);
        return true;
      })
      .reply(200, { id: existingStatus.id });
  } else {
    mockComments([{ id: 4000, body: "I can reproduce this.", bot: false }]);
    mockCreateComment(bodies);
  }
  const present = RACE_LABELS.filter((l) => l.name !== "agent-race:overlap").map((l) => ({ name: l.name }));
  nock(API)
    .get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, [...present, { name: "bug" }])
    .post(`${REPO_PATH}/labels`, (body: { name: string }) => body.name === "agent-race:overlap").reply(201, {})
    .delete(`${REPO_PATH}/issues/${ISSUE}/labels/agent-race%3Adone`).reply(404, { message: "Label does not exist" })
    .delete(`${REPO_PATH}/issues/${ISSUE}/labels/agent-race%3Afailed`).reply(404, { message: "Label does not exist" })
    .post(`${REPO_PATH}/issues/${ISSUE}/labels`, { labels: ["agent-race:running"] }).reply(200, []);
}
