import { RedisKeys } from "./redis-keys.js";
import type { LaneState, RaceMeta } from "../model/race-state.js";

const DAY = 24 * 3600;

/**
 * Race and lane state in Redis, for the status comment and the dashboard, outside BullMQ's trimmed
 * event stream: one hash per race (`race:<id>`: `meta` and one `lane:<n>` field per lane, kept 30
 * days) and the recent races by creation time (`races`).
 */
export class RaceRecords extends RedisKeys {
  async save(meta: RaceMeta): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key("race", meta.raceId), "meta", JSON.stringify(meta))
      .expire(this.key("race", meta.raceId), 30 * DAY)
      .zadd(this.key("races"), meta.createdAt, meta.raceId)
      .zremrangebyscore(this.key("races"), "-inf", Date.now() - 30 * DAY * 1000)
      .exec();
  }

  /** The ids of the most recent races, newest first (kept 30 days). */
  async recent(limit = 50): Promise<string[]> {
    return this.redis.zrevrange(this.key("races"), 0, limit - 1);
  }

  async get(raceId: string): Promise<RaceMeta | null> {
    const raw = await this.redis.hget(this.key("race", raceId), "meta");
    return raw ? (JSON.parse(raw) as RaceMeta) : null;
  }

  /** Saves `change` of the race's meta and returns it; null for an unknown race. */
  async update(raceId: string, change: (meta: RaceMeta) => RaceMeta): Promise<RaceMeta | null> {
    const meta = await this.get(raceId);
    if (!meta) return null;
    const next = change(meta);
    await this.save(next);
    return next;
  }

  async setLane(raceId: string, state: LaneState): Promise<void> {
    await this.redis.hset(this.key("race", raceId), `lane:${state.lane}`, JSON.stringify(state));
  }

  /** The race's lanes, by lane number. */
  async lanes(raceId: string): Promise<LaneState[]> {
    const all = await this.redis.hgetall(this.key("race", raceId));
    return Object.entries(all)
      .filter(([field]) => field.startsWith("lane:"))
      .map(([, raw]) => JSON.parse(raw) as LaneState)
      .sort((a, b) => a.lane - b.lane);
  }
}
