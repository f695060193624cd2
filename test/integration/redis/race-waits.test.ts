import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RACE_SLOT_STALE_MS, RaceWaits } from "../../../src/redis/race-waits.js";
import { withRedisLock } from "../../../src/redis/with-redis-lock.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `agent-race-test-${randomUUID()}`;
let redis: Redis;
let waits: RaceWaits;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  waits = new RaceWaits(redis, prefix);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe("RaceWaits: race slots", () => {
  it("hands out at most `limit` slots per repo, even to concurrent callers, and frees them", async () => {
    const got = await Promise.all(Array.from({ length: 10 }, (_, i) => waits.acquireSlot(1, `race${i}`, 3)));
    expect(got.filter(Boolean)).toHaveLength(3);
    expect(await waits.runningRaces(1)).toHaveLength(3);
    expect(await waits.acquireSlot(2, "other", 3)).toBe(true); // another repo has its own slots
    const holder = (await waits.runningRaces(1))[0]!;
    expect(await waits.acquireSlot(1, holder, 3)).toBe(true); // re-acquiring is idempotent
    expect(await waits.acquireSlot(1, "late", 3)).toBe(false);
    await waits.releaseSlot(1, holder);
    expect(await waits.acquireSlot(1, "late", 3)).toBe(true);
  });

  it("reclaims a slot held past the stale limit (a race whose worker died for good)", async () => {
    const now = Date.now();
    expect(await waits.acquireSlot(3, "dead", 1, now - RACE_SLOT_STALE_MS - 1000)).toBe(true);
    expect(await waits.acquireSlot(3, "alive", 1, now)).toBe(true);
    expect(await waits.runningRaces(3)).toEqual(["alive"]);
  });
});

describe("RaceWaits: waiters", () => {
  it("records who waits for which issue, and forgets on stopWaiting", async () => {
    await waits.waitFor(5, [10, 11], "a");
    await waits.waitFor(5, [11], "b");
    expect((await waits.waitersOf(5, 11)).sort()).toEqual(["a", "b"]);
    expect(await waits.waitersOf(5, 10)).toEqual(["a"]);
    expect(await waits.waitersOf(6, 10)).toEqual([]);
    await waits.stopWaiting(5, [10, 11], "a");
    expect(await waits.waitersOf(5, 11)).toEqual(["b"]);
  });

  it("queues slot waiters oldest first and keeps a waiter's place when queued again", async () => {
    await waits.waitForSlot(7, "second", 2000);
    await waits.waitForSlot(7, "first", 1000);
    await waits.waitForSlot(7, "second", 3000);
    expect(await waits.slotWaiters(7)).toEqual(["first", "second"]);
    await waits.stopWaiting(7, [], "first");
    expect(await waits.slotWaiters(7)).toEqual(["second"]);
  });
});

describe("withRedisLock", () => {
  it("runs holders one at a time and releases on error", async () => {
    const key = `${prefix}:lock:a`;
    let inside = 0;
    let most = 0;
    const task = async () => {
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 30));
      inside--;
    };
    await Promise.all(Array.from({ length: 4 }, () => withRedisLock(redis, key, task, { pollMs: 5 })));
    expect(most).toBe(1);
    await expect(withRedisLock(redis, key, async () => { throw new Error("boom"); })).rejects.toThrow("boom");
    expect(await redis.exists(key)).toBe(0);
  });

  it("lets its holder release it early, once", async () => {
    const key = `${prefix}:lock:c`;
    const order: string[] = [];
    await Promise.all([
      withRedisLock(redis, key, async (unlock) => {
        order.push("first in");
        await unlock();
        await new Promise((r) => setTimeout(r, 100));
        await unlock();
        order.push("first out");
      }, { pollMs: 5 }),
      new Promise((r) => setTimeout(r, 20)).then(() => withRedisLock(redis, key, async () => void order.push("second"), { pollMs: 5 })),
    ]);
    expect(order).toEqual(["first in", "second", "first out"]);
  });

  it("gives up after waitMs, and a lock whose holder died expires after ttlMs", async () => {
    const key = `${prefix}:lock:b`;
    await redis.set(key, "someone-else", "PX", 300);
    await expect(withRedisLock(redis, key, async () => "never", { waitMs: 50, pollMs: 10 })).rejects.toThrow(/timed out/);
    expect(await withRedisLock(redis, key, async () => "got it", { waitMs: 2000, pollMs: 20 })).toBe("got it");
  });
});
