import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { Redis } from "ioredis";
import { Webhooks } from "@octokit/webhooks";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JOB_VERSION, triggerJobSchema, type TriggerJob } from "../../../src/queue/job-data.js";
import { JobQueues, safeId } from "../../../src/queue/job-queues.js";
import { RaceRegistry } from "../../../src/redis/race-registry.js";
import { createApp } from "../../../src/webhooks/create-app.js";
import { deleteKeys, REDIS_URL } from "../../helpers/app-harness.js";
import { useStrictNock } from "../../helpers/strict-nock.js";

/** Real payloads captured from github.com, via `@octokit/webhooks-examples`. */
type Payload = Record<string, any>;
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as Array<{ name: string; examples: Payload[] }>;

function example(event: string, action: string, change: (payload: Payload) => void = () => {}): Payload {
  const found = examples.find((group) => group.name === event)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no example for ${event}.${action}`);
  const payload = structuredClone(found);
  payload.installation = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  change(payload);
  return payload;
}

const labeled = (name: string) => example("issues", "labeled", (p) => void (p.label.name = name));
const commented = (body: string, action = "created") => example("issue_comment", action, (p) => void (p.comment.body = body));
const reviewed = (ref: string) => example("pull_request_review", "submitted", (p) => void (p.pull_request.head.ref = ref));

const ALL_STATES = ["waiting", "active", "delayed", "prioritized", "completed", "failed", "paused", "waiting-children"] as const;

let prefix: string;
let redis: Redis;
let queues: JobQueues;
let registry: RaceRegistry;
let webhooks: Webhooks;
const github = useStrictNock();

beforeEach(async () => {
  prefix = `agent-race-test-${randomUUID()}`;
  redis = new Redis(REDIS_URL);
  queues = new JobQueues(redis, prefix);
  webhooks = new Webhooks({ secret: "test" });
  registry = new RaceRegistry(redis, prefix);
  createApp({ queues, registry })({ on: webhooks.on, log: pino({ level: "silent" }) });
});

afterEach(async () => {
  const { pending, requests } = github.settle();
  await queues.close();
  await redis.quit();
  await deleteKeys(prefix);
  expect(pending).toEqual([]);
  // The webhook path never calls GitHub: authorization and everything else happen in the worker.
  expect(requests).toEqual([]);
});

async function receive(name: string, payload: Payload, id: string = randomUUID()): Promise<string> {
  await webhooks.receive({ id, name, payload } as Parameters<Webhooks["receive"]>[0]);
  return id;
}

async function triggerJobs(): Promise<Array<{ id: string | undefined; data: TriggerJob }>> {
  const jobs = await queues.triggers.getJobs([...ALL_STATES]);
  return jobs.map((job) => ({ id: job.id, data: job.data as TriggerJob }));
}

describe("issues.labeled", () => {
  it.each(["agent:race", "agent:run"] as const)("enqueues one validated trigger job for %s", async (label) => {
    const payload = labeled(label);
    const id = await receive("issues", payload);
    const jobs = await triggerJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.id).toBe(`trigger-${safeId(id)}`);
    const data = jobs[0]!.data;
    expect(triggerJobSchema.parse(data)).toEqual(data);
    expect(data).toEqual({
      v: JOB_VERSION, deliveryId: id, installationId: 4242,
      repo: {
        id: payload.repository.id, owner: "Codertocat", name: "Hello-World",
        cloneUrl: "https://github.com/Codertocat/Hello-World.git", htmlUrl: "https://github.com/Codertocat/Hello-World", defaultBranch: "master",
      },
      sender: { login: "Codertocat", type: "User" },
      issue: { number: payload.issue.number, title: "Spelling error in the README file", body: payload.issue.body, isPullRequest: false },
      trigger: { kind: "label", label },
    });
  });

  it("ignores other labels and unlabeling", async () => {
    await receive("issues", labeled("bug"));
    await receive("issues", example("issues", "unlabeled", (p) => void (p.label.name = "agent:race")));
    expect(await triggerJobs()).toEqual([]);
  });

  it("ignores an event without an installation", async () => {
    const payload = labeled("agent:race");
    delete payload.installation;
    await receive("issues", payload);
    expect(await triggerJobs()).toEqual([]);
  });
});

describe("issue_comment", () => {
  it("enqueues a comment that starts with a command", async () => {
    const payload = commented("/race 3");
    const id = await receive("issue_comment", payload);
    const jobs = await triggerJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data).toMatchObject({
      deliveryId: id, sender: { login: "Codertocat", type: "User" },
      issue: { number: payload.issue.number, title: payload.issue.title, isPullRequest: false },
      trigger: { kind: "comment", commentId: payload.comment.id, body: "/race 3" },
    });
  });

  it.each([
    ["plain text", "You are totally right! I'll get this fixed right away."],
    ["a look-alike command", "/racecar"],
    ["a command inside a code block", "```\n/race 3\n```"],
    ["a quoted command", "> /race 3"],
    ["a command after the first line", "thanks!\n/race 3"],
  ])("ignores %s", async (_what, body) => {
    await receive("issue_comment", commented(body));
    expect(await triggerJobs()).toEqual([]);
  });

  it("ignores an edited comment, even one that now holds a command", async () => {
    await receive("issue_comment", commented("/race 3", "edited"));
    expect(await triggerJobs()).toEqual([]);
  });
});

describe("pull_request_review.submitted", () => {
  it("enqueues a review on a generated pull request", async () => {
    const payload = reviewed("agent-race/fix-readme-abc123/1-claude");
    await receive("pull_request_review", payload);
    const jobs = await triggerJobs();
    expect(jobs).toHaveLength(1);
    const data = jobs[0]!.data;
    expect(triggerJobSchema.parse(data)).toEqual(data);
    expect(data.issue).toEqual({ number: payload.pull_request.number, title: payload.pull_request.title, body: payload.pull_request.body ?? "", isPullRequest: true });
    expect(data.trigger).toEqual({
      kind: "review", prNumber: payload.pull_request.number, reviewId: payload.review.id, state: payload.review.state,
      headRef: "agent-race/fix-readme-abc123/1-claude", body: payload.review.body ?? "",
    });
  });

  it.each(["changes", "agent-racecar/x", "feature/agent-race/x"])("ignores a review on branch %s", async (ref) => {
    await receive("pull_request_review", reviewed(ref));
    expect(await triggerJobs()).toEqual([]);
  });
});

describe("pull_request.closed", () => {
  it.each([
    ["a generated pull request, merged", "agent-race/fix-readme-abc123/1-claude", true],
    ["anyone's pull request (races may wait for it: `depends on #N`)", "feature/login", false],
  ])("enqueues %s", async (_name, ref, merged) => {
    const payload = example("pull_request", "closed", (p) => {
      p.pull_request.head.ref = ref;
      p.pull_request.merged = merged;
    });
    await receive("pull_request", payload);
    const jobs = await triggerJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data.trigger).toEqual({ kind: "pr-closed", prNumber: payload.pull_request.number, headRef: ref, merged });
  });
});

describe("delivery de-duplication", () => {
  it("enqueues a delivery id once", async () => {
    const id = randomUUID();
    await receive("issues", labeled("agent:race"), id);
    await receive("issues", labeled("agent:race"), id);
    await receive("issue_comment", commented("/race"), id);
    const jobs = await triggerJobs();
    expect(jobs.map((job) => job.data.trigger.kind)).toEqual(["label"]);
    // The registry claimed it (not only BullMQ's job id): a later claim of the same id loses.
    expect(await registry.deliveries.claim(id)).toBe(false);
  });

  it("forgets a delivery it could not enqueue, so GitHub's redelivery is not dropped", async () => {
    const id = randomUUID();
    const broken = labeled("agent:race");
    broken.repository.clone_url = "not a url";
    await expect(receive("issues", broken, id)).rejects.toThrow(/cloneUrl|url/i);
    expect(await triggerJobs()).toEqual([]);
    await receive("issues", labeled("agent:race"), id);
    expect(await triggerJobs()).toHaveLength(1);
  });

  it("treats a redelivery under a new id as a new trigger", async () => {
    await receive("issues", labeled("agent:race"));
    await receive("issues", labeled("agent:race"));
    expect(await triggerJobs()).toHaveLength(2);
  });
});
