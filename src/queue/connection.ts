import { Redis } from "ioredis";

/**
 * Redis connections for BullMQ. Workers wait forever for Redis (`maxRetriesPerRequest: null`);
 * producers on the webhook path fail fast instead of buffering while Redis is down.
 */
export function createRedis(url: string, role: "worker" | "producer"): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    lazyConnect: false,
    retryStrategy: (times) => Math.min(1000 * 2 ** times, 20_000),
  });
}

/** Waits until a connection is ready and refuses a Redis that may evict BullMQ's keys. */
export async function checkRedis(redis: Redis): Promise<void> {
  if (redis.status !== "ready") await new Promise<void>((resolve, reject) => {
    redis.once("ready", resolve);
    redis.once("error", reject);
  });
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
