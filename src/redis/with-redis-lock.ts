import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** Deletes KEYS[1] only while it still holds ARGV[1]: a holder never frees someone else's claim. */
export const RELEASE_IF_OWNER = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

/**
 * Runs `fn` while holding a Redis lock shared by every worker (SET NX PX with a token; released
 * only by its holder). `fn` may release it early with `unlock` once past its critical part. The lock
 * expires after `ttlMs` if its holder dies; a caller waits at most `waitMs` for it, then throws, so
 * the job is retried.
 */
export async function withRedisLock<T>(redis: Redis, key: string, fn: (unlock: () => Promise<void>) => Promise<T>, options: { ttlMs?: number; waitMs?: number; pollMs?: number } = {}): Promise<T> {
  const { ttlMs = 120_000, waitMs = 120_000, pollMs = 50 } = options;
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  while ((await redis.set(key, token, "PX", ttlMs, "NX")) !== "OK") {
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${key}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  let held = true;
  const unlock = async (): Promise<void> => {
    if (!held) return;
    held = false;
    await redis.eval(RELEASE_IF_OWNER, 1, key, token);
  };
  try {
    return await fn(unlock);
  } finally {
    await unlock();
  }
}
