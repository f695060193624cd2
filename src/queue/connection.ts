import { Redis, type RedisOptions } from "ioredis";

/**
 * ioredis options from `REDIS_URL`: `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS
 * (the server's certificate is verified against the host name). The password never appears in errors.
 */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("REDIS_URL is not a URL (expected redis://[user:password@]host:port/db or rediss://…)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw new Error(`REDIS_URL must start with redis:// or rediss://, not ${parsed.protocol}//`);
  const host = parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error("REDIS_URL's path must be a database number");
  return {
    host,
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: { servername: host } } : {}),
  };
}

/**
 * Redis connections for BullMQ. Workers wait forever for Redis (`maxRetriesPerRequest: null`);
 * producers on the webhook path fail fast instead of buffering while Redis is down.
 */
export function createRedis(url: string, role: "worker" | "producer"): Redis {
  return new Redis({
    ...redisOptions(url),
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    lazyConnect: false,
    retryStrategy: (times) => Math.min(1000 * 2 ** times, 20_000),
  });
}

/**
 * Waits until a connection is ready and refuses a Redis that may evict BullMQ's keys. A Redis that refuses
 * the credentials (wrong or missing password) fails here with a message that says so, and is disconnected.
 */
export async function checkRedis(redis: Redis): Promise<void> {
  if (redis.status !== "ready") {
    await new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        redis.off("error", onError);
        resolve();
      };
      const onError = (error: Error): void => {
        redis.off("ready", onReady);
        reject(error);
      };
      redis.once("ready", onReady);
      redis.once("error", onError);
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const where = `${redis.options.host ?? "?"}:${redis.options.port ?? "?"}`;
      if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
        redis.disconnect();
        throw new Error(`Redis at ${where} refused the credentials in REDIS_URL (${message.split("\n")[0]}): check its password (docs/deploy.md#redis)`, { cause: error });
      }
      throw new Error(`Redis at ${where} is not reachable: ${message.split("\n")[0]}`, { cause: error });
    });
  }
  let policy: string | undefined;
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    policy = reply[1];
  } catch {
    return; // Managed Redis may forbid CONFIG; nothing to check then.
  }
  if (policy && policy !== "noeviction") {
    throw new Error(`Redis maxmemory-policy is "${policy}"; agent-race needs "noeviction" so queued jobs are never evicted (docs/deploy.md)`);
  }
}
