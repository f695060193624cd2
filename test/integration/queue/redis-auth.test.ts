import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRedis, createRedis } from "../../../src/queue/connection.js";

const PASSWORD = "s3cret-redis-pass";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe("REDIS_URL with a password (a second redis-server with --requirepass)", () => {
  let server: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--requirepass", PASSWORD, "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"], { stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      let out = "";
      server.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Ready to accept connections")) resolve();
      });
      server.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    });
  });
  afterAll(async () => {
    if (server.exitCode === null) {
      const exited = new Promise((done) => server.once("exit", done));
      server.kill("SIGTERM");
      await exited;
    }
  });

  it("works with the right password", async () => {
    const redis = createRedis(`redis://:${PASSWORD}@127.0.0.1:${port}/3`, "producer");
    try {
      await checkRedis(redis);
      await redis.set("agent-race-auth-test", "ok");
      expect(await redis.get("agent-race-auth-test")).toBe("ok");
      expect(redis.options.db).toBe(3);
      await redis.del("agent-race-auth-test");
    } finally {
      redis.disconnect();
    }
  });

  it("works with a user and password (ACL default user)", async () => {
    const redis = createRedis(`redis://default:${PASSWORD}@127.0.0.1:${port}`, "worker");
    try {
      await checkRedis(redis);
      expect(await redis.ping()).toBe("PONG");
    } finally {
      redis.disconnect();
    }
  });

  it.each([
    ["a wrong password", `redis://:wrong-password@127.0.0.1:PORT`],
    ["no password", `redis://127.0.0.1:PORT`],
  ])("fails at start-up with a clear error for %s, never echoing it", async (_name, template) => {
    const redis = createRedis(template.replace("PORT", String(port)), "worker");
    try {
      const error = (await checkRedis(redis).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(/Redis at 127\.0\.0\.1:\d+ refused the credentials in REDIS_URL .*check its password/);
      expect(error.message).not.toContain("wrong-password");
      // Disconnected, not retrying forever: the connection ends.
      await new Promise<void>((done) => (redis.status === "end" ? done() : redis.once("end", () => done())));
      expect(redis.status).toBe("end");
    } finally {
      redis.disconnect();
    }
  });
});
