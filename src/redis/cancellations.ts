import type { Redis } from "ioredis";
import { RedisKeys } from "./redis-keys.js";

const DAY = 24 * 3600;
/** Keeps the later of two epoch-ms values in KEYS[1] (ARGV[1] the new one, ARGV[2] the TTL in s). */
const SET_IF_LATER = `local old = tonumber(redis.call("GET", KEYS[1]) or "0") if tonumber(ARGV[1]) > old then redis.call("SET", KEYS[1], ARGV[1], "EX", ARGV[2]) end return 1`;

/**
 * Cancellation in Redis: `/cancel` requests per issue (a start received before one must not run),
 * cancelled races, and the pub/sub channel that tells every worker to stop a race's agents.
 */
export class Cancellations extends RedisKeys {
  /**
   * Records a cancel of the issue's races: any start whose trigger was received at or before
   * `receivedAt` (epoch ms) must not run (see `requestedSince`). Kept a day.
   */
  async request(repoId: number, issue: number, receivedAt: number): Promise<void> {
    await this.redis.eval(SET_IF_LATER, 1, this.key("cancel-request", repoId, issue), String(receivedAt), String(DAY));
  }

  /** Whether a cancel of the issue arrived at or after `receivedAt` (a start received then must not run). */
  async requestedSince(repoId: number, issue: number, receivedAt: number): Promise<boolean> {
    const at = Number((await this.redis.get(this.key("cancel-request", repoId, issue))) ?? 0);
    return at >= receivedAt;
  }

  /** Marks the race cancelled (kept 30 days) and tells every subscribed process. */
  async mark(raceId: string): Promise<void> {
    await this.redis.set(this.key("cancelled", raceId), "1", "EX", 30 * DAY);
    await this.redis.publish(this.key("cancel"), raceId);
  }

  async isCancelled(raceId: string): Promise<boolean> {
    return (await this.redis.exists(this.key("cancelled", raceId))) === 1;
  }

  /** Calls `onCancel(raceId)` whenever any process cancels a race; needs its own connection. */
  async subscribe(subscriber: Redis, onCancel: (raceId: string) => void): Promise<void> {
    const channel = this.key("cancel");
    subscriber.on("message", (from: string, raceId: string) => {
      if (from === channel) onCancel(raceId);
    });
    await subscriber.subscribe(channel);
  }
}
