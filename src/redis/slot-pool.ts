import type { Redis } from "ioredis";

/** How long a lane's slot outlives its last heartbeat: a SIGKILLed worker's slots free themselves after it. */
export const LANE_SLOT_LEASE_MS = 60_000;

/** One limit a lane must fit under: `max_parallel_lanes` of its repo, or the operator's per-installation cap. */
export interface SlotLimit {
  scope: "repo" | "installation";
  /** The repo id or the installation id. */
  id: number;
  limit: number;
}

// KEYS: one slot zset per limit; ARGV: holder, now, lease expiry, lease ms, then one limit per key.
// Drops expired leases, then takes a slot in every set or in none; returns 0, or the 1-based index
// of the first full set. A holder that already has a slot keeps it (a stalled lane run again).
const ACQUIRE = `
local holder, now, expiry, lease = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
for i, key in ipairs(KEYS) do
  redis.call("ZREMRANGEBYSCORE", key, "-inf", now)
end
for i, key in ipairs(KEYS) do
  if not redis.call("ZSCORE", key, holder) and redis.call("ZCARD", key) >= tonumber(ARGV[4 + i]) then return i end
end
for i, key in ipairs(KEYS) do
  redis.call("ZADD", key, expiry, holder)
  redis.call("PEXPIRE", key, lease)
end
return 0`;

// KEYS: the holder's slot zsets; ARGV: holder, lease expiry, lease ms. Returns how many leases had
// lapsed (and were taken again: the lane runs anyway, so it should count).
const RENEW = `
local lapsed = 0
for i, key in ipairs(KEYS) do
  if not redis.call("ZSCORE", key, ARGV[1]) then lapsed = lapsed + 1 end
  redis.call("ZADD", key, ARGV[2], ARGV[1])
  redis.call("PEXPIRE", key, ARGV[3])
end
return lapsed`;

/**
 * Lease-based slots in Redis, the fairness BullMQ OSS has no groups for: a sorted set per repo and
 * per installation whose members are holders (lane job ids; race ids for `max_concurrent_races`),
 * scored by lease expiry. A holder takes a slot under every limit that applies or none (one Lua
 * script), renews its leases while it runs (lanes) or holds them for a long lease (races), and
 * gives them back when it ends; a holder whose worker died loses them when the lease runs out.
 * `name` keeps pools apart (`lane-slots`, `race-slots`).
 */
export class SlotPool {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly leaseMs = LANE_SLOT_LEASE_MS,
    private readonly name = "lane-slots",
  ) {}

  private key(limit: SlotLimit): string {
    return [this.prefix, this.name, limit.scope, limit.id].join(":");
  }

  private waitingKey(limit: SlotLimit): string {
    return [this.prefix, `${this.name}-waiters`, limit.scope, limit.id].join(":");
  }

  /** Remembers that `holder` waits for a slot under `full` (oldest first), so a release can wake it. */
  async noteWaiting(holder: string, full: SlotLimit, now = Date.now()): Promise<void> {
    await this.redis.multi().zadd(this.waitingKey(full), "NX", now, holder).pexpire(this.waitingKey(full), 24 * 3600 * 1000).exec();
  }

  /** Takes a slot under every limit for `holder`; returns the limit that is full (nothing taken), or null. */
  async acquire(holder: string, limits: readonly SlotLimit[], now = Date.now()): Promise<SlotLimit | null> {
    if (limits.length === 0) return null;
    const full = Number(await this.redis.eval(ACQUIRE, limits.length, ...limits.map((l) => this.key(l)), holder, now, now + this.leaseMs, this.leaseMs, ...limits.map((l) => l.limit)));
    return full === 0 ? null : (limits[full - 1] ?? null);
  }

  /** Extends `holder`'s leases; returns how many had lapsed. */
  async renew(holder: string, limits: readonly SlotLimit[], now = Date.now()): Promise<number> {
    if (limits.length === 0) return 0;
    return Number(await this.redis.eval(RENEW, limits.length, ...limits.map((l) => this.key(l)), holder, now + this.leaseMs, this.leaseMs));
  }

  /** `holder` got its slots: it no longer waits. */
  async stopWaiting(holder: string, limits: readonly SlotLimit[]): Promise<void> {
    if (limits.length === 0) return;
    const multi = this.redis.multi();
    for (const limit of limits) multi.zrem(this.waitingKey(limit), holder);
    await multi.exec();
  }

  /** Gives `holder`'s slots back; returns the lanes that waited longest for one of them (to wake them). */
  async release(holder: string, limits: readonly SlotLimit[]): Promise<string[]> {
    if (limits.length === 0) return [];
    const multi = this.redis.multi();
    for (const limit of limits) multi.zrem(this.key(limit), holder).zpopmin(this.waitingKey(limit), 1);
    const replies = (await multi.exec()) ?? [];
    const next = new Set<string>();
    for (let i = 1; i < replies.length; i += 2) {
      const popped = replies[i]?.[1];
      if (Array.isArray(popped) && typeof popped[0] === "string") next.add(popped[0]);
    }
    return [...next];
  }

  /** The lanes holding a slot under `limit` (expired leases included until the next acquire). */
  async holders(limit: SlotLimit): Promise<string[]> {
    return this.redis.zrange(this.key(limit), 0, -1);
  }
}
