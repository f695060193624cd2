import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "../../src/queue/queue-names.js";
import { deleteKeys, freePort, REDIS_URL, SECRET, waitFor } from "../helpers/app-harness.js";
import { issueLabeledPayload, sendWebhook } from "../helpers/fake-github/index.js";
import { CLI } from "../helpers/worker-process.js";

/**
 * `agent-race serve --no-worker` from dist/ in a child process (npm run build first), so its RSS
 * is its own: a 30 MB unsigned POST is refused with 413 before it is kept, with Content-Length
 * and chunked, and a signed delivery still works afterwards.
 */
const MB = 1024 * 1024;
let child: ChildProcess;
let output = "";
let url = "";
let prefix = "";
let dir = "";

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Number(line?.match(/(\d+)/)?.[1] ?? NaN) / 1024;
}

/**
 * POSTs `size` bytes of unsigned junk, with Content-Length or chunked (1 MB writes). Resolves with
 * the status as soon as the server answers (the rest is not sent, as a client that reads the early
 * 413 would do); rejects if the connection dies before any answer.
 */
function postJunk(size: number, chunked: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": randomUUID(), "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      ...(chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(size) }),
    };
    let answered = false;
    const req = request(url, { method: "POST", headers }, (res) => {
      answered = true;
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(MB, "a");
    let sent = 0;
    const pump = (): void => {
      while (sent < size && !answered) {
        sent += MB;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-race-body-limit-"));
  const operator = join(dir, "operator.yml");
  await writeFile(operator, "allow_repo_agents: true\n");
  prefix = `agent-race-test-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", APP_ID: "1", PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    WEBHOOK_SECRET: SECRET, REDIS_URL, AGENT_RACE_PREFIX: prefix, AGENT_RACE_CONFIG: operator, AGENT_RACE_CACHE_DIR: join(dir, "cache"),
    PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn",
  };
  child = spawn(process.execPath, [CLI, "serve", "--no-worker"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  url = `http://127.0.0.1:${port}/api/github/webhooks`;
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/ping`).catch(() => null))?.ok, 20_000, `the server to listen:\n${output}`);
}, 30_000);

afterAll(async () => {
  child?.kill("SIGKILL");
  await deleteKeys(prefix);
  await rm(dir, { recursive: true, force: true });
});

async function signedDelivery(): Promise<{ status: number; deliveryId: string }> {
  const repo = { owner: "acme", name: "widgets", cloneUrl: "https://github.com/acme/widgets.git" };
  const payload = issueLabeledPayload({ repo, issue: { number: 3, title: "Fix it", body: "Please." }, label: "agent:race", sender: "alice", installationId: 1 });
  return sendWebhook({ url, secret: SECRET, event: "issues", payload });
}

describe("the webhook body limit (25 MB)", () => {
  it("refuses 30 MB unsigned bodies with 413, Content-Length and chunked, without keeping them", async () => {
    await signedDelivery(); // warm up every code path of a delivery first
    const before = rssMb(child.pid!);
    expect(await postJunk(30 * MB, false)).toBe(413);
    expect(await postJunk(30 * MB, true)).toBe(413);
    const after = rssMb(child.pid!);
    console.log(`webhook body limit: server RSS ${before.toFixed(1)} MB → ${after.toFixed(1)} MB after two 30 MB POSTs (+${(after - before).toFixed(1)} MB)`);
    expect(after - before).toBeLessThan(60);
    expect(output).toContain("webhook body over 25 MB refused");
  }, 60_000);

  it("still takes a signed delivery afterwards, and a body just under the limit is read (then fails its signature)", async () => {
    const { status, deliveryId } = await signedDelivery();
    expect(status).toBe(200);
    const redis = new Redis(REDIS_URL);
    const triggers = new Queue(QUEUES.triggers, { connection: redis, prefix });
    try {
      expect(await triggers.getJob(`trigger-${deliveryId}`)).toBeDefined();
    } finally {
      await triggers.close();
      redis.disconnect();
    }
    expect(await postJunk(2 * MB, true)).toBe(400); // read in full, then refused by the signature check
  }, 30_000);
});
