import type { Redis } from "ioredis";
import { RedisKeys } from "./redis-keys.js";
import { SlotPool, type SlotLimit } from "./slot-pool.js";

const DAY = 24 * 3600;
/** A slot held longer than this is taken to belong to a race whose worker died for good. */
export const RACE_SLOT_STALE_MS = 12 * 3600 * 1000;

/**
 * What races wait for, in Redis: the issues and PRs a waiting race needs closed (so the webhook
 * that closes one can wake it), the per-repo slots of `max_concurrent_races`, and the races
 * queued for a free slot, oldest first. The slots are a `SlotPool` with a lease as long as a race
 * may run (nothing renews it); the queue is kept here because it is read in order, not popped.
 */
export class RaceWaits extends RedisKeys {
  private readonly slots: SlotPool;

  constructor(redis: Redis, prefix: string) {
    super(redis, prefix);
    this.slots = new SlotPool(redis, prefix, RACE_SLOT_STALE_MS, "race-slots");
  }

  /** Takes one of the repo's `limit` race slots for `raceId` (true), or says none is free (false). */
  async acquireSlot(repoId: number, raceId: string, limit: number, now = Date.now()): Promise<boolean> {
    return (await this.slots.acquire(raceId, [slotLimit(repoId, limit)], now)) === null;
  }

  async releaseSlot(repoId: number, raceId: string): Promise<void> {
    await this.slots.release(raceId, [slotLimit(repoId, 0)]);
  }

  async runningRaces(repoId: number): Promise<string[]> {
    return this.slots.holders(slotLimit(repoId, 0));
  }

  /** Records that `raceId` waits for each of `numbers` (issues or PRs) to be closed. */
  async waitFor(repoId: number, numbers: readonly number[], raceId: string): Promise<void> {
    const multi = this.redis.multi();
    for (const n of numbers) multi.sadd(this.key("waiters", repoId, n), raceId).expire(this.key("waiters", repoId, n), 90 * DAY);
    await multi.exec();
  }

  async waitersOf(repoId: number, number: number): Promise<string[]> {
    return this.redis.smembers(this.key("waiters", repoId, number));
  }

  async stopWaiting(repoId: number, numbers: readonly number[], raceId: string): Promise<void> {
    const multi = this.redis.multi();
    for (const n of numbers) multi.srem(this.key("waiters", repoId, n), raceId);
    multi.zrem(this.key("slot-waiters", repoId), raceId);
    await multi.exec();
  }

  /** Queues `raceId` for the repo's next free slot (keeps its first place when queued again). */
  async waitForSlot(repoId: number, raceId: string, since: number): Promise<void> {
    await this.redis.multi().zadd(this.key("slot-waiters", repoId), "NX", since, raceId).expire(this.key("slot-waiters", repoId), 90 * DAY).exec();
  }

  /** The races waiting for a slot on the repo, oldest first. */
  async slotWaiters(repoId: number, limit = 50): Promise<string[]> {
    return this.redis.zrange(this.key("slot-waiters", repoId), 0, limit - 1);
  }
}

/** The repo's race slots (`limit` only matters when acquiring). */
function slotLimit(repoId: number, limit: number): SlotLimit {
  return { scope: "repo", id: repoId, limit };
}
