import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrFilesCache } from "../../../src/redis/pr-files-cache.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `agent-race-test-${randomUUID()}`;
const A = "a".repeat(40);
const B = "b".repeat(40);
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe("PrFilesCache", () => {
  it("stores file lists by repository and head sha for 14 days", async () => {
    const cache = new PrFilesCache(redis, prefix);
    expect(await cache.get("octo/widgets", A)).toBeNull();
    await cache.set("Octo/Widgets", A, ["src/a.ts", "README.md"]);
    expect(await cache.get("octo/widgets", A)).toEqual(["src/a.ts", "README.md"]);
    expect(await cache.get(42, A)).toBeNull();
    const ttl = await redis.ttl(`${prefix}:pr-files:octo/widgets:${A}`);
    expect(ttl).toBeGreaterThan(14 * 24 * 3600 - 10);
    expect(ttl).toBeLessThanOrEqual(14 * 24 * 3600);
  });

  it("reads and writes many entries at once, by numeric repository id too", async () => {
    const cache = new PrFilesCache(redis, prefix, 60);
    await cache.setMany(42, new Map([[A, ["x"]], [B, []]]));
    const found = await cache.getMany(42, [A, B, "c".repeat(40), A]);
    expect([...found.entries()]).toEqual([[A, ["x"]], [B, []]]);
    expect(await redis.ttl(`${prefix}:pr-files:42:${B}`)).toBeLessThanOrEqual(60);
    expect((await cache.getMany(42, [])).size).toBe(0);
  });

  it("ignores values it cannot read and refuses bad keys", async () => {
    const cache = new PrFilesCache(redis, prefix);
    await redis.set(`${prefix}:pr-files:octo/widgets:${B}`, "{not json");
    await redis.set(`${prefix}:open-prs:octo/widgets`, JSON.stringify({ prs: "nope" }));
    expect(await cache.get("octo/widgets", B)).toBeNull();
    expect(await cache.getIndex("octo/widgets")).toBeNull();
    await expect(cache.get("octo/widgets", "HEAD")).rejects.toThrow(/invalid head sha/);
    await expect(cache.set("octo/widgets:x", A, [])).rejects.toThrow(/invalid repository key/);
  });

  it("keeps the open pull request index", async () => {
    const cache = new PrFilesCache(redis, prefix);
    const index = { syncedAt: 1_700_000_000_000, watermark: "2024-01-01T00:00:00Z", prs: [{ number: 3, headRefName: "fix", headSha: A }] };
    await cache.setIndex("octo/widgets", index);
    expect(await cache.getIndex("OCTO/widgets")).toEqual(index);
  });
});
