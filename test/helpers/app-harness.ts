import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { loadEnv, type Env } from "../../src/config/env.js";
import { startServer, type StartedServer } from "../../src/server/start-server.js";
import { createFakeGitHub, sendWebhook, type FakeGitHub, type FakeRepo } from "./fake-github/index.js";

export const SECRET = "e2e-webhook-secret";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * The operator config of e2e files whose fixture agents report to the test through files outside
 * their worktree (markers, pid files, prompt copies), which the lane sandbox rightly forbids. Those
 * files test queueing, fairness, crashes and reviews; the sandboxed App path is covered by
 * hostile-race, race-on-github, push-policy and revision-restore.
 */
export const UNSANDBOXED_OPERATOR = "allow_repo_agents: true\nsandbox: { mode: none }\n";

export interface AppHarness {
  fake: FakeGitHub;
  repo: FakeRepo;
  server: StartedServer;
  webhookUrl: string;
  prefix: string;
  /** The validated env the server runs with (a worker process can be started with the same). */
  env: Env;
  /** The raw variables `env` was loaded from. */
  envVars: Record<string, string>;
  /** Scratch dir holding the cache dir (`cache/`) and the operator config. */
  dir: string;
  send(event: string, payload: Record<string, unknown>, deliveryId?: string): Promise<{ status: number; body: string; deliveryId: string }>;
  close(): Promise<void>;
}

/**
 * The whole app on loopback: the fake GitHub (REST + git over HTTP), the real Probot server with
 * an in-process worker, real Redis under a key prefix of its own. `files` seed the repo.
 */
export async function startAppHarness(options: {
  files: Record<string, string>;
  operator?: string;
  env?: Record<string, string>;
  /** Default true; false is `agent-race serve --no-worker` (run workers yourself). */
  withWorker?: boolean;
}): Promise<AppHarness> {
  const fake = await createFakeGitHub();
  const repo = await fake.addRepo({ owner: "acme", name: "widgets", files: options.files, installationId: 1 });
  fake.setPermission(repo, "alice", "write");
  fake.setPermission(repo, "mallory", "read");
  const dir = await mkdtemp(join(tmpdir(), "agent-race-e2e-"));
  const operatorFile = join(dir, "operator.yml");
  await writeFile(operatorFile, options.operator ?? "allow_repo_agents: true\n");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const prefix = `agent-race-test-${randomUUID().slice(0, 8)}`;
  const envVars: Record<string, string> = {
    PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", APP_ID: "1", PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    WEBHOOK_SECRET: SECRET, REDIS_URL, AGENT_RACE_PREFIX: prefix, AGENT_RACE_CACHE_DIR: join(dir, "cache"), AGENT_RACE_CONFIG: operatorFile,
    AGENT_RACE_SANDBOX_READ_ONLY: process.env.AGENT_RACE_SANDBOX_READ_ONLY ?? "",
    GHE_HOST: fake.host, GHE_PROTOCOL: "http", PORT: String(await freePort()), HOST: "127.0.0.1", LOG_LEVEL: (process.env.TEST_LOG_LEVEL ?? "fatal") as "fatal", AGENT_RACE_LOCK_MS: "5000",
    // No request spacing against the fake GitHub (e2e/throttled-race.test.ts turns it on).
    AGENT_RACE_GITHUB_THROTTLE: "off", ...options.env,
  };
  const env = loadEnv(envVars);
  const server = await startServer(env, { withWorker: options.withWorker ?? true });
  const webhookUrl = `http://127.0.0.1:${server.port}/api/github/webhooks`;
  return {
    fake, repo, server, webhookUrl, prefix, env, envVars, dir,
    send: (event, payload, deliveryId) => sendWebhook({ url: webhookUrl, secret: SECRET, event, payload, deliveryId: deliveryId ?? randomUUID() }),
    close: async () => {
      await server.close();
      await deleteKeys(prefix);
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Removes every Redis key under a test's prefix. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  redis.disconnect();
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 20_000, what = "condition"): Promise<Exclude<T, false | undefined | null>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false && value !== null) return value as Exclude<T, false | undefined | null>;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

/** A free loopback port (Probot's server treats port 0 as "use 3000"). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
