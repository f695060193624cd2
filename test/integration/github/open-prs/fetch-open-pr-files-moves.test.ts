import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchOpenPrFiles } from "../../../../src/github/open-prs/fetch-open-pr-files.js";
import { PrFilesCache } from "../../../../src/redis/pr-files-cache.js";
import { createFakeGitHub, createTestOctokit, type FakeGitHub, type FakeRepo } from "../../../helpers/fake-github/index.js";
import { pushToPull, seedPulls } from "../../../helpers/fake-github/seed-pulls.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `agent-race-test-${randomUUID()}`;
let fake: FakeGitHub;
let repo: FakeRepo;
let redis: Redis;

function files(dir: string, count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${dir}/f${String(i).padStart(3, "0")}.txt`, `${i}\n`]));
}

beforeAll(async () => {
  fake = await createFakeGitHub();
  repo = await fake.addRepo({ owner: "octo", name: "moves", installationId: 5 });
  redis = new Redis(REDIS_URL);
  // Four pull requests with 101 files each: the listing leaves every one of them to a follow-up query.
  await seedPulls(fake, repo, [1, 2, 3, 4].map((n) => ({ branch: `pr-${n}`, files: files(`d${n}`, 101), updatedAt: "2024-01-01T00:00:00Z" })));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await fake.close();
});

describe("fetchOpenPrFiles when pull requests change between its queries", () => {
  it("drops closed and deleted pull requests and restarts one whose head moved", async () => {
    const octokit = createTestOctokit({ apiUrl: fake.apiUrl, token: fake.createInstallationToken(5) });
    let graphqlCalls = 0;
    let moved = "";
    octokit.hook.before("request", async (options) => {
      if (!String(options.url).endsWith("graphql") || ++graphqlCalls !== 2) return;
      // After the listing, before the first files query: #1 closed, #2 deleted, #3 pushed to.
      const state = fake.repo(repo);
      const closed = state.issues.get(1);
      if (closed) Object.assign(closed, { state: "closed", updatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") });
      state.pulls.delete(2);
      state.issues.delete(2);
      moved = await pushToPull(fake, repo, 3, { "d3/late.txt": "late\n" });
    });
    const cache = new PrFilesCache(redis, prefix);
    const result = await fetchOpenPrFiles(octokit, { owner: "octo", repo: "moves" }, { cache });

    expect(result.prs.map((pr) => [pr.number, pr.files.length])).toEqual([[3, 102], [4, 101]]);
    expect(result.prs[0]?.headSha).toBe(moved);
    expect(result.prs[0]?.files).toContain("d3/late.txt");
    // Listing, files round 1 (#1 closed, #2 gone, #3 moved, #4 complete), #3 from its start, #3's second page.
    expect(result.requests).toBe(4);
    expect((await cache.getIndex("octo/moves"))?.prs.map((pr) => [pr.number, pr.headSha])).toEqual([[3, moved], [4, result.prs[1]?.headSha]]);

    const again = await fetchOpenPrFiles(createTestOctokit({ apiUrl: fake.apiUrl, token: fake.createInstallationToken(5) }), { owner: "octo", repo: "moves" }, { cache });
    expect(again).toEqual({ prs: result.prs, requests: 1 });

    // A deletion leaves no trace among recently updated pull requests: the open count gives it away.
    fake.repo(repo).pulls.delete(4);
    fake.repo(repo).issues.delete(4);
    const relisted = await fetchOpenPrFiles(createTestOctokit({ apiUrl: fake.apiUrl, token: fake.createInstallationToken(5) }), { owner: "octo", repo: "moves" }, { cache });
    expect(relisted).toEqual({ prs: result.prs.slice(0, 1), requests: 2 });
  });

  it("answers from the cache by head sha, so another repository key starts cold", async () => {
    const cache = new PrFilesCache(redis, prefix);
    const shas = (await cache.getIndex("OCTO/Moves"))?.prs.map((pr) => pr.headSha) ?? [];
    expect(shas).toHaveLength(1);
    expect((await cache.getMany("octo/moves", [...shas, "f".repeat(40)])).size).toBe(1);
    expect(await cache.getIndex("octo/other")).toBeNull();
  });
});
