import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LaneState, RaceMeta } from "../../../src/model/race-state.js";
import { RaceRegistry } from "../../../src/redis/race-registry.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `agent-race-test-registry-${randomUUID().slice(0, 8)}`;
const DAY = 24 * 3600;
let redis: Redis;
let subscriber: Redis;
let registry: RaceRegistry;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  subscriber = new Redis(REDIS_URL);
  registry = new RaceRegistry(redis, prefix);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  subscriber.disconnect();
  await redis.quit();
});

/** The key's TTL, rounded up to days. */
const ttlDays = async (key: string): Promise<number> => Math.ceil((await redis.ttl(key)) / DAY);

function meta(raceId: string, overrides: Partial<RaceMeta> = {}): RaceMeta {
  return {
    raceId, installationId: 1, issueNumber: 7, issueTitle: "t", task: "t", baseSha: "a".repeat(40), mode: "best", single: false, sender: "alice",
    repo: { id: 99, owner: "octo", name: "widgets", cloneUrl: "https://github.com/octo/widgets.git", htmlUrl: "https://github.com/octo/widgets", defaultBranch: "main" },
    state: "running", statusCommentId: null, comparisonCommentId: null, createdAt: Date.now(), finishedAt: null, lanes: [], prs: {}, report: null, message: null,
    ...overrides,
  };
}

const lane = (n: number): LaneState => ({ lane: n, agent: "claude", approach: null, step: "queued", startedAt: null, updatedAt: n });

// These keys are what a running deployment has in Redis: the layout must not change with the code.
describe("RaceRegistry's Redis keys", () => {
  it("deliveries: claimed once under <prefix>:delivery:<id> for 3 days, and forgotten", async () => {
    expect(await registry.deliveries.claim("d1")).toBe(true);
    expect(await registry.deliveries.claim("d1")).toBe(false);
    expect(await redis.get(`${prefix}:delivery:d1`)).toBe("1");
    expect(await ttlDays(`${prefix}:delivery:d1`)).toBe(3);
    await registry.deliveries.forget("d1");
    expect(await registry.deliveries.claim("d1")).toBe(true);
  });

  it("issues: one active race per issue (<prefix>:active:<repo>:<issue>), released only by its owner; the last race (issue-race)", async () => {
    expect(await registry.issues.claim(99, 7, "r1")).toBeNull();
    expect(await registry.issues.claim(99, 7, "r2")).toBe("r1");
    expect(await redis.get(`${prefix}:active:99:7`)).toBe("r1");
    expect(await ttlDays(`${prefix}:active:99:7`)).toBe(7);
    expect(await registry.issues.active(99, 7)).toBe("r1");
    await registry.issues.release(99, 7, "r2");
    expect(await registry.issues.active(99, 7)).toBe("r1");
    await registry.issues.release(99, 7, "r1");
    expect(await registry.issues.active(99, 7)).toBeNull();
    await registry.issues.setLast(99, 7, "r1");
    expect(await redis.get(`${prefix}:issue-race:99:7`)).toBe("r1");
    expect(await ttlDays(`${prefix}:issue-race:99:7`)).toBe(90);
    expect(await registry.issues.last(99, 7)).toBe("r1");
    expect(await registry.issues.last(99, 8)).toBeNull();
  });

  it("issues: the start lock (<prefix>:issue-lock:<repo>:<issue>) runs one holder at a time", async () => {
    const order: string[] = [];
    const run = (name: string) => registry.issues.withLock(99, 7, async () => {
      order.push(`${name} in`);
      expect(await redis.exists(`${prefix}:issue-lock:99:7`)).toBe(1);
      await new Promise((r) => setTimeout(r, 30));
      order.push(`${name} out`);
      return name;
    });
    expect(await Promise.all([run("a"), run("b")])).toEqual(["a", "b"]);
    expect(order).toEqual(["a in", "a out", "b in", "b out"]);
    expect(await redis.exists(`${prefix}:issue-lock:99:7`)).toBe(0);
  });

  it("races: meta and lanes in one hash (<prefix>:race:<id>, 30 days), recent races in <prefix>:races", async () => {
    await registry.races.save(meta("ra", { createdAt: 1000 }));
    await registry.races.save(meta("rb", { createdAt: Date.now() }));
    await registry.races.setLane("rb", lane(2));
    await registry.races.setLane("rb", lane(1));
    expect(await redis.hkeys(`${prefix}:race:rb`)).toEqual(expect.arrayContaining(["meta", "lane:1", "lane:2"]));
    expect(await ttlDays(`${prefix}:race:rb`)).toBe(30);
    expect(JSON.parse((await redis.hget(`${prefix}:race:rb`, "meta")) ?? "null")).toMatchObject({ raceId: "rb" });
    // A race older than 30 days leaves the recent list when another is saved.
    expect(await registry.races.recent()).toEqual(["rb"]);
    expect(await redis.zrange(`${prefix}:races`, 0, -1)).toEqual(["rb"]);
    expect((await registry.races.lanes("rb")).map((l) => l.lane)).toEqual([1, 2]);
    expect(await registry.races.update("rb", (m) => ({ ...m, state: "done" }))).toMatchObject({ state: "done" });
    expect((await registry.races.get("rb"))?.state).toBe("done");
    expect(await registry.races.update("none", (m) => m)).toBeNull();
    expect(await registry.races.get("none")).toBeNull();
  });

  it("pull requests: <prefix>:pr:<repo>:<number> holds <race>:<lane> for 90 days", async () => {
    await registry.pullRequests.link(99, 12, "rb", 2);
    expect(await redis.get(`${prefix}:pr:99:12`)).toBe("rb:2");
    expect(await ttlDays(`${prefix}:pr:99:12`)).toBe(90);
    expect(await registry.pullRequests.laneOf(99, 12)).toEqual({ raceId: "rb", lane: 2 });
    expect(await registry.pullRequests.laneOf(99, 13)).toBeNull();
  });

  it("cancels: per-issue requests (cancel-request, the later time wins), cancelled races, and the cancel channel", async () => {
    await registry.cancels.request(99, 7, 2000);
    await registry.cancels.request(99, 7, 1000);
    expect(await redis.get(`${prefix}:cancel-request:99:7`)).toBe("2000");
    expect(await ttlDays(`${prefix}:cancel-request:99:7`)).toBe(1);
    expect(await registry.cancels.requestedSince(99, 7, 2000)).toBe(true);
    expect(await registry.cancels.requestedSince(99, 7, 2001)).toBe(false);
    expect(await registry.cancels.requestedSince(99, 8, 0)).toBe(true); // no request: 0 >= 0
    const heard: string[] = [];
    await registry.cancels.subscribe(subscriber, (raceId) => heard.push(raceId));
    expect(await registry.cancels.isCancelled("rc")).toBe(false);
    await registry.cancels.mark("rc");
    expect(await redis.get(`${prefix}:cancelled:rc`)).toBe("1");
    expect(await ttlDays(`${prefix}:cancelled:rc`)).toBe(30);
    expect(await registry.cancels.isCancelled("rc")).toBe(true);
    await expect.poll(() => heard).toEqual(["rc"]);
  });

  it("branches: closed PRs' branches in <prefix>:expiring-branches, taken once when due", async () => {
    const entry = (n: number) => ({ installationId: 1, owner: "octo", repo: "widgets", branch: `agent-race/x/${n}`, prNumber: n });
    await registry.branches.schedule(entry(1), 1000);
    await registry.branches.schedule(entry(2), 5000);
    expect(await redis.zcard(`${prefix}:expiring-branches`)).toBe(2);
    expect(await registry.branches.takeExpired(2000)).toEqual([entry(1)]);
    expect(await registry.branches.takeExpired(2000)).toEqual([]);
    expect(await registry.branches.takeExpired(6000)).toEqual([entry(2)]);
  });
});
