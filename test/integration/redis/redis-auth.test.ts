import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRedis, createRedis } from "../../../src/redis/connection.js";
import { freePort } from "../../helpers/free-port.js";
import { startRedisServer, type TestRedisServer } from "../../helpers/redis-server.js";

const PASSWORD = "s3cret-redis-pass";

describe("REDIS_URL with a password (a second redis-server with --requirepass)", () => {
  let server: TestRedisServer | undefined;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    server = await startRedisServer(["--port", String(port), "--bind", "127.0.0.1", "--requirepass", PASSWORD, "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"]);
  });
  afterAll(async () => {
    await server?.stop();
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
