import { RedisKeys } from "./redis-keys.js";
import { RELEASE_IF_OWNER, withRedisLock } from "./with-redis-lock.js";

const DAY = 24 * 3600;

/**
 * Which race an issue has, in Redis: the one running race per issue (`active`, claimed with SET NX
 * and released only by its owner), the issue's newest race (`issue-race`, for `/pick` and `/retry`
 * after it finished), and the issue's start lock.
 */
export class IssueClaims extends RedisKeys {
  /** Claims the issue for a race; returns the id of the race already running there, or null. */
  async claim(repoId: number, issue: number, raceId: string): Promise<string | null> {
    const key = this.key("active", repoId, issue);
    if ((await this.redis.set(key, raceId, "EX", 7 * DAY, "NX")) === "OK") return null;
    return (await this.redis.get(key)) ?? null;
  }

  /** The race running on the issue, or null. */
  async active(repoId: number, issue: number): Promise<string | null> {
    return this.redis.get(this.key("active", repoId, issue));
  }

  /** Frees the issue, if `raceId` still holds it. */
  async release(repoId: number, issue: number, raceId: string): Promise<void> {
    await this.redis.eval(RELEASE_IF_OWNER, 1, this.key("active", repoId, issue), raceId);
  }

  /** Remembers the newest race of an issue (for `/pick` and `/retry` after it finished). */
  async setLast(repoId: number, issue: number, raceId: string): Promise<void> {
    await this.redis.set(this.key("issue-race", repoId, issue), raceId, "EX", 90 * DAY);
  }

  /** The issue's newest race, running or not, or null. */
  async last(repoId: number, issue: number): Promise<string | null> {
    return this.redis.get(this.key("issue-race", repoId, issue));
  }

  /**
   * Runs `fn` under the issue's start lock. A cancel records itself, and a start checks for a
   * cancel and enqueues its flow, each under this lock, so one never lands between the other's
   * check and its write.
   */
  async withLock<T>(repoId: number, issue: number, fn: () => Promise<T>): Promise<T> {
    return withRedisLock(this.redis, this.key("issue-lock", repoId, issue), () => fn(), { ttlMs: 60_000, waitMs: 60_000, pollMs: 25 });
  }
}
