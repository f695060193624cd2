import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlotPool, type SlotLimit } from "../../../src/redis/slot-pool.js";
import { claimLaneSlot } from "../../../src/workers/claim-lane-slot.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `agent-race-test-${randomUUID()}`;
const log = pino({ level: "silent" });
let redis: Redis;
const connections: Redis[] = [];

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  for (let i = 0; i < 4; i++) connections.push(new Redis(REDIS_URL));
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await Promise.all([redis, ...connections].map((c) => c.quit()));
});

let nextId = 0;
/** Limits with ids of their own, so tests do not share slot sets. */
const limits = (repo: number, installation?: number): { repo: SlotLimit; installation: SlotLimit } => {
  const id = ++nextId;
  return { repo: { scope: "repo", id, limit: repo }, installation: { scope: "installation", id, limit: installation ?? 1000 } };
};

describe("SlotPool", () => {
  it("never hands out more slots than the limit, however many lanes ask at once", async () => {
    const { repo } = limits(3);
    // 24 acquires over 4 connections, all in flight together.
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => new SlotPool(connections[i % 4] as Redis, prefix).acquire(`lane-${i}`, [repo])),
    );
    const granted = results.flatMap((full, i) => (full === null ? [`lane-${i}`] : []));
    expect(granted).toHaveLength(3);
    expect(results.filter((full) => full !== null).every((full) => full?.scope === "repo" && full.limit === 3)).toBe(true);
    const slots = new SlotPool(redis, prefix);
    expect((await slots.holders(repo)).sort()).toEqual(granted.sort());
    // The key lives no longer than a lease, so an idle repo leaves nothing behind.
    const ttl = await redis.pttl(`${prefix}:lane-slots:repo:${repo.id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(slots.leaseMs);
  });

  it("takes the repo and the installation slot together or neither", async () => {
    const { repo, installation } = limits(2, 1);
    const slots = new SlotPool(redis, prefix);
    expect(await slots.acquire("a", [repo, installation])).toBeNull();
    // The repo has room, the installation does not: b gets nothing, not even the repo slot.
    expect(await slots.acquire("b", [repo, installation])).toEqual(installation);
    expect(await slots.holders(repo)).toEqual(["a"]);
    expect(await slots.holders(installation)).toEqual(["a"]);
    // A full repo is reported as the repo limit and takes no installation slot either.
    const other = limits(1, 5);
    expect(await slots.acquire("c", [other.repo, other.installation])).toBeNull();
    expect(await slots.acquire("d", [other.repo, other.installation])).toEqual(other.repo);
    expect(await slots.holders(other.installation)).toEqual(["c"]);
  });

  it("gives a lane that already holds the slot its slot again (a stalled lane run once more)", async () => {
    const { repo } = limits(1);
    const slots = new SlotPool(redis, prefix);
    expect(await slots.acquire("lane-1", [repo])).toBeNull();
    expect(await slots.acquire("lane-1", [repo])).toBeNull();
    expect(await slots.acquire("lane-2", [repo])).toEqual(repo);
    expect(await slots.holders(repo)).toEqual(["lane-1"]);
  });

  it("reclaims a slot whose lease ran out (a SIGKILLed worker's lane) and frees one on release", async () => {
    const { repo } = limits(1);
    const slots = new SlotPool(redis, prefix, 60_000);
    const t0 = Date.now();
    expect(await slots.acquire("dead", [repo], t0)).toBeNull();
    expect(await slots.acquire("next", [repo], t0 + 59_999)).toEqual(repo);
    expect(await slots.acquire("next", [repo], t0 + 60_001)).toBeNull();
    expect(await slots.holders(repo)).toEqual(["next"]);
    await slots.release("next", [repo]);
    expect(await slots.holders(repo)).toEqual([]);
    expect(await slots.acquire("third", [repo])).toBeNull();
  });

  it("a renewed lease outlives its first expiry; renewing a lapsed one takes it back and says so", async () => {
    const { repo, installation } = limits(1, 1);
    const slots = new SlotPool(redis, prefix, 60_000);
    const t0 = Date.now();
    expect(await slots.acquire("a", [repo, installation], t0)).toBeNull();
    expect(await slots.renew("a", [repo, installation], t0 + 50_000)).toBe(0);
    expect(await slots.acquire("b", [repo, installation], t0 + 70_000)).toEqual(repo);
    // b found both leases expired at t0 + 120 s and took them; a's renewal finds them gone.
    expect(await slots.acquire("b", [repo, installation], t0 + 120_000)).toBeNull();
    await slots.release("b", [repo, installation]);
    expect(await slots.renew("a", [repo, installation], t0 + 121_000)).toBe(2);
    expect(await slots.holders(repo)).toEqual(["a"]);
  });

  it("asks nothing of Redis when no limit applies", async () => {
    const slots = new SlotPool(redis, prefix);
    expect(await slots.acquire("x", [])).toBeNull();
    expect(await slots.renew("x", [])).toBe(0);
    await slots.release("x", []);
  });
});

describe("claimLaneSlot", () => {
  it("keeps the lease alive with a heartbeat while the lane runs, and releases it at the end", async () => {
    const { repo } = limits(1);
    // A 3 s lease renewed every second; the lane "runs" for 4.5 s, past the first lease's end.
    const slots = new SlotPool(redis, prefix, 3000);
    const claim = await claimLaneSlot(slots, "runner", [repo], log);
    expect(claim.held).toBe(true);
    await new Promise((r) => setTimeout(r, 4500));
    expect(await slots.acquire("waiter", [repo])).toEqual(repo);
    if (claim.held) await claim.release();
    expect(await slots.holders(repo)).toEqual([]);
    expect(await slots.acquire("waiter", [repo])).toBeNull();
    // No timer renews the released lease: it is still gone a heartbeat later.
    await new Promise((r) => setTimeout(r, 1200));
    expect(await slots.holders(repo)).toEqual(["waiter"]);
  });

  it("says which limit is full and takes nothing", async () => {
    const { repo, installation } = limits(5, 1);
    const slots = new SlotPool(redis, prefix);
    expect(await slots.acquire("busy", [installation])).toBeNull();
    const claim = await claimLaneSlot(slots, "late", [repo, installation], log);
    expect(claim).toEqual({ held: false, full: installation });
    expect(await slots.holders(repo)).toEqual([]);
  });

  it("a release names the lane that waited longest for the freed slot, once; a lane that got a slot waits no more", async () => {
    const { repo } = limits(1);
    const slots = new SlotPool(redis, prefix);
    const running = await claimLaneSlot(slots, "running", [repo], log);
    expect(await claimLaneSlot(slots, "first-waiter", [repo], log)).toEqual({ held: false, full: repo });
    expect(await claimLaneSlot(slots, "second-waiter", [repo], log)).toEqual({ held: false, full: repo });
    expect(await claimLaneSlot(slots, "first-waiter", [repo], log)).toEqual({ held: false, full: repo }); // keeps its place
    if (!running.held) throw new Error("expected the slot");
    expect(await running.release()).toEqual(["first-waiter"]);
    const woken = await claimLaneSlot(slots, "first-waiter", [repo], log);
    if (!woken.held) throw new Error("expected the freed slot");
    expect(await woken.release()).toEqual(["second-waiter"]);
    expect(await slots.release("nobody", [repo])).toEqual([]);
  });
});
