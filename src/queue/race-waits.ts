import type { Redis } from "ioredis";

const DAY = 24 * 3600;
/** A slot held longer than this is taken to belong to a race whose worker died for good. */
export const RACE_SLOT_STALE_MS = 12 * 3600 * 1000;

// KEYS[1] slots zset; ARGV: race id, limit, now, stale-before. Re-acquiring is a no-op that succeeds.
const ACQUIRE = `
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", ARGV[4])
if redis.call("ZSCORE", KEYS[1], ARGV[1]) then return 1 end
if redis.call("ZCARD", KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call("ZADD", KEYS[1], ARGV[3], ARGV[1])
redis.call("EXPIRE", KEYS[1], 86400)
return 1`;

/**
 * What races wait for, in Redis: the issues and PRs a waiting race needs closed (so the webhook
 * that closes one can wake it), the per-repo slots of `max_concurrent_races`, and the races
 * queued for a free slot, oldest first.
 */
export class RaceWaits {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(...parts: Array<string | number>): string {
    return [this.prefix, ...parts].join(":");
  }

  /** Takes one of the repo's `limit` race slots for `raceId` (true), or says none is free (false). */
  async acquireSlot(repoId: number, raceId: string, limit: number, now = Date.now()): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, this.key("race-slots", repoId), raceId, limit, now, now - RACE_SLOT_STALE_MS)) === 1;
  }

  async releaseSlot(repoId: number, raceId: string): Promise<void> {
    await this.redis.zrem(this.key("race-slots", repoId), raceId);
  }

  async runningRaces(repoId: number): Promise<string[]> {
    return this.redis.zrange(this.key("race-slots", repoId), 0, -1);
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
