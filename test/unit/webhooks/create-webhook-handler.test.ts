import { createHmac, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JobQueues } from "../../../src/queue/job-queues.js";
import { RaceRegistry } from "../../../src/redis/race-registry.js";
import { createWebhookHandler, WEBHOOK_PATH } from "../../../src/webhooks/create-webhook-handler.js";
import { deleteKeys, REDIS_URL } from "../../helpers/app-harness.js";

type Payload = Record<string, any>;
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as Array<{ name: string; examples: Payload[] }>;
const SECRET = "handler-secret";

function labeled(name: string): Payload {
  const found = examples.find((group) => group.name === "issues")?.examples.find((e) => e.action === "labeled");
  const payload = structuredClone(found) as Payload;
  payload.installation = { id: 4242 };
  payload.label.name = name;
  return payload;
}

let prefix: string;
let redis: Redis;
let queues: JobQueues;
let server: Server;
let url: string;
let lines: Array<Record<string, unknown>>;

beforeEach(async () => {
  prefix = `agent-race-test-${randomUUID()}`;
  redis = new Redis(REDIS_URL);
  queues = new JobQueues(redis, prefix);
  lines = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(JSON.parse(chunk.toString())), done()) });
  const handler = createWebhookHandler({ secret: SECRET, log: pino({ level: "info" }, sink), deps: { queues, registry: new RaceRegistry(redis, prefix) } });
  server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end("not mine");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await queues.close();
  await redis.quit();
  await deleteKeys(prefix);
});

async function post(payload: Payload, options: { id?: string; secret?: string; path?: string } = {}): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", options.secret ?? SECRET).update(body).digest("hex")}`;
  const response = await fetch(`${url}${options.path ?? WEBHOOK_PATH}`, {
    method: "POST", body,
    headers: { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": options.id ?? randomUUID(), "x-hub-signature-256": signature },
  });
  return { status: response.status, body: await response.text() };
}

const triggerIds = async (): Promise<Array<string | undefined>> => (await queues.triggers.getJobs(["waiting"])).map((job) => job.id);

describe("createWebhookHandler", () => {
  it("acknowledges a signed delivery after enqueuing it, and an irrelevant one without", async () => {
    const id = randomUUID();
    expect(await post(labeled("agent:race"), { id })).toEqual({ status: 200, body: "ok\n" });
    expect(await post(labeled("bug"))).toEqual({ status: 200, body: "ok\n" });
    expect(await triggerIds()).toEqual([`trigger-${id}`]);
    expect(lines).toEqual([]);
  });

  it("rejects a bad signature with 400, enqueues nothing and says which setting to check", async () => {
    const id = randomUUID();
    const response = await post(labeled("agent:race"), { id, secret: "wrong" });
    expect(response.status).toBe(400);
    expect(await triggerIds()).toEqual([]);
    expect(lines).toMatchObject([{ level: 50, delivery: id, event: "issues", msg: expect.stringContaining("WEBHOOK_SECRET") }]);
    expect(JSON.stringify(lines)).not.toContain("sha256=");
  });

  it("answers 500 when a handler fails, logging the delivery once", async () => {
    const id = randomUUID();
    const broken = labeled("agent:race");
    broken.repository.clone_url = "not a url";
    expect((await post(broken, { id })).status).toBe(500);
    expect(lines).toMatchObject([{ level: 50, delivery: id, msg: "webhook delivery failed", err: { message: expect.stringMatching(/url/i) } }]);
    expect(JSON.stringify(lines)).not.toContain(broken.issue.title); // the payload stays out of the log
    // The claim was released, so GitHub's redelivery of the same id is enqueued.
    expect((await post(labeled("agent:race"), { id })).status).toBe(200);
    expect(await triggerIds()).toEqual([`trigger-${id}`]);
  });

  it("leaves other paths to the next handler", async () => {
    expect(await post(labeled("agent:race"), { path: "/api/github/webhooks/probot-unused" })).toEqual({ status: 404, body: "not mine" });
    expect(await post(labeled("agent:race"), { path: "/agent-race" })).toEqual({ status: 404, body: "not mine" });
    expect(await triggerIds()).toEqual([]);
  });
});
