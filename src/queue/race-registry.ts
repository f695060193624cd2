import type { Redis } from "ioredis";
import type { LaneState, RaceMeta } from "./race-state.js";
import { RaceWaits } from "./race-waits.js";
import { RELEASE_IF_OWNER, withRedisLock } from "./with-redis-lock.js";

const DAY = 24 * 3600;
/** Keeps the later of two epoch-ms values in KEYS[1] (ARGV[1] the new one, ARGV[2] the TTL in s). */
const SET_IF_LATER = `local old = tonumber(redis.call("GET", KEYS[1]) or "0") if tonumber(ARGV[1]) > old then redis.call("SET", KEYS[1], ARGV[1], "EX", ARGV[2]) end return 1`;

/** A generated PR's branch waiting out `branch_retention_days` after the PR was closed unmerged. */
export interface ExpiringBranch {
  installationId: number;
  owner: string;
  repo: string;
  branch: string;
  prNumber: number;
}

/**
 * Durable race bookkeeping in Redis: delivery dedup (kept 3 days, GitHub's redelivery window),
 * the one running race per issue, race and lane state for the status comment, and cancellation.
 */
export class RaceRegistry {
  /** Races waiting for dependencies, merges and race slots. */
  readonly waits: RaceWaits;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.waits = new RaceWaits(redis, prefix);
  }

  private key(...parts: Array<string | number>): string {
    return [this.prefix, ...parts].join(":");
  }

  /** True the first time a delivery id is seen. */
  async claimDelivery(deliveryId: string): Promise<boolean> {
    return (await this.redis.set(this.key("delivery", deliveryId), "1", "EX", 3 * DAY, "NX")) === "OK";
  }

  async forgetDelivery(deliveryId: string): Promise<void> {
    await this.redis.del(this.key("delivery", deliveryId));
  }

  /** Claims the issue for a race; returns the id of the race already running there, or null. */
  async claimIssue(repoId: number, issue: number, raceId: string): Promise<string | null> {
    const key = this.key("active", repoId, issue);
    if ((await this.redis.set(key, raceId, "EX", 7 * DAY, "NX")) === "OK") return null;
    return (await this.redis.get(key)) ?? null;
  }

  /** Remembers the newest race of an issue (for `/pick` and `/retry` after it finished). */
  async setIssueRace(repoId: number, issue: number, raceId: string): Promise<void> {
    await this.redis.set(this.key("issue-race", repoId, issue), raceId, "EX", 90 * DAY);
  }

  async lastRace(repoId: number, issue: number): Promise<string | null> {
    return this.redis.get(this.key("issue-race", repoId, issue));
  }

  /** Schedules a closed PR's branch for deletion at `at` (epoch ms). */
  async scheduleBranchExpiry(entry: ExpiringBranch, at: number): Promise<void> {
    await this.redis.zadd(this.key("expiring-branches"), at, JSON.stringify(entry));
  }

  /** Removes and returns every branch whose retention ended before `now`. */
  async takeExpiredBranches(now: number): Promise<ExpiringBranch[]> {
    const key = this.key("expiring-branches");
    const members = await this.redis.zrangebyscore(key, "-inf", now);
    const taken: ExpiringBranch[] = [];
    for (const member of members) {
      if ((await this.redis.zrem(key, member)) === 1) taken.push(JSON.parse(member) as ExpiringBranch);
    }
    return taken;
  }

  async activeRace(repoId: number, issue: number): Promise<string | null> {
    return this.redis.get(this.key("active", repoId, issue));
  }

  async releaseIssue(repoId: number, issue: number, raceId: string): Promise<void> {
    await this.redis.eval(RELEASE_IF_OWNER, 1, this.key("active", repoId, issue), raceId);
  }

  async saveMeta(meta: RaceMeta): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key("race", meta.raceId), "meta", JSON.stringify(meta))
      .expire(this.key("race", meta.raceId), 30 * DAY)
      .zadd(this.key("races"), meta.createdAt, meta.raceId)
      .zremrangebyscore(this.key("races"), "-inf", Date.now() - 30 * DAY * 1000)
      .exec();
  }

  /** The ids of the most recent races, newest first (kept 30 days). */
  async recentRaces(limit = 50): Promise<string[]> {
    return this.redis.zrevrange(this.key("races"), 0, limit - 1);
  }

  async updateMeta(raceId: string, change: (meta: RaceMeta) => RaceMeta): Promise<RaceMeta | null> {
    const meta = await this.getMeta(raceId);
    if (!meta) return null;
    const next = change(meta);
    await this.saveMeta(next);
    return next;
  }

  async getMeta(raceId: string): Promise<RaceMeta | null> {
    const raw = await this.redis.hget(this.key("race", raceId), "meta");
    return raw ? (JSON.parse(raw) as RaceMeta) : null;
  }

  async setLane(raceId: string, state: LaneState): Promise<void> {
    await this.redis.hset(this.key("race", raceId), `lane:${state.lane}`, JSON.stringify(state));
  }

  async getLanes(raceId: string): Promise<LaneState[]> {
    const all = await this.redis.hgetall(this.key("race", raceId));
    return Object.entries(all)
      .filter(([field]) => field.startsWith("lane:"))
      .map(([, raw]) => JSON.parse(raw) as LaneState)
      .sort((a, b) => a.lane - b.lane);
  }

  /** Remembers which race and lane a generated PR belongs to. */
  async linkPullRequest(repoId: number, prNumber: number, raceId: string, lane: number): Promise<void> {
    await this.redis.set(this.key("pr", repoId, prNumber), `${raceId}:${lane}`, "EX", 90 * DAY);
  }

  async pullRequestLane(repoId: number, prNumber: number): Promise<{ raceId: string; lane: number } | null> {
    const raw = await this.redis.get(this.key("pr", repoId, prNumber));
    const [raceId, lane] = raw?.split(":") ?? [];
    return raceId && lane ? { raceId, lane: Number(lane) } : null;
  }

  /**
   * Records a cancel of the issue's races: any start whose trigger was received at or before
   * `receivedAt` (epoch ms) must not run (see `cancelledSince`). Kept a day.
   */
  async requestCancel(repoId: number, issue: number, receivedAt: number): Promise<void> {
    await this.redis.eval(SET_IF_LATER, 1, this.key("cancel-request", repoId, issue), String(receivedAt), String(DAY));
  }

  /** Whether a cancel of the issue arrived at or after `receivedAt` (a start received then must not run). */
  async cancelledSince(repoId: number, issue: number, receivedAt: number): Promise<boolean> {
    const at = Number((await this.redis.get(this.key("cancel-request", repoId, issue))) ?? 0);
    return at >= receivedAt;
  }

  /**
   * Runs `fn` under the issue's start lock. A cancel records itself, and a start checks for a
   * cancel and enqueues its flow, each under this lock, so one never lands between the other's
   * check and its write.
   */
  async withIssueLock<T>(repoId: number, issue: number, fn: () => Promise<T>): Promise<T> {
    return withRedisLock(this.redis, this.key("issue-lock", repoId, issue), () => fn(), { ttlMs: 60_000, waitMs: 60_000, pollMs: 25 });
  }

  async markCancelled(raceId: string): Promise<void> {
    await this.redis.set(this.key("cancelled", raceId), "1", "EX", 30 * DAY);
    await this.redis.publish(this.key("cancel"), raceId);
  }

  async isCancelled(raceId: string): Promise<boolean> {
    return (await this.redis.exists(this.key("cancelled", raceId))) === 1;
  }

  /** Calls `onCancel(raceId)` whenever any process cancels a race; needs its own connection. */
  async subscribeCancel(subscriber: Redis, onCancel: (raceId: string) => void): Promise<void> {
    const channel = this.key("cancel");
    subscriber.on("message", (from: string, raceId: string) => {
      if (from === channel) onCancel(raceId);
    });
    await subscriber.subscribe(channel);
  }
}
