import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchOpenPrFiles } from "../../../../src/github/open-prs/fetch-open-pr-files.js";
import { PrFilesCache } from "../../../../src/redis/pr-files-cache.js";
import { createFakeGitHub, createTestOctokit, type FakeGitHub, type FakeRepo } from "../../../helpers/fake-github/index.js";
import { pushToPull, seedPulls } from "../../../helpers/fake-github/seed-pulls.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** GitHub-style timestamps a minute apart, long ago. */
const past = (i: number): string => new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");

let fake: FakeGitHub;
let repo: FakeRepo;
let redis: Redis;
const prefix = `agent-race-test-${randomUUID()}`;

/** GraphQL request bodies the fake received since `from`. */
function graphqlQueries(from: number): string[] {
  return fake.requests.slice(from).filter((r) => r.path === "/api/graphql").map((r) => String((r.body as { query?: unknown }).query));
}

function manyFiles(dir: string, count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${dir}/f${String(i).padStart(3, "0")}.txt`, `${i}\n`]));
}

beforeAll(async () => {
  fake = await createFakeGitHub();
  repo = await fake.addRepo({ owner: "octo", name: "busy", installationId: 3 });
  redis = new Redis(REDIS_URL);
  // 1,000 open pull requests: #1 with 250 files, #2 with 101, the rest with two files each.
  const specs = Array.from({ length: 1000 }, (_, i) => ({
    branch: `feature/${i + 1}`,
    files: i === 0 ? manyFiles("big", 250) : i === 1 ? manyFiles("mid", 101) : { [`src/mod${i % 40}.ts`]: `// ${i}\n`, [`pkg/p${i}.txt`]: `${i}\n` },
    updatedAt: past(i),
  }));
  await seedPulls(fake, repo, specs);
}, 120_000);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await fake.close();
});

describe("fetchOpenPrFiles on 1,000 open pull requests", () => {
  const cache = (): PrFilesCache => new PrFilesCache(redis, prefix);
  const octokit = () => createTestOctokit({ apiUrl: fake.apiUrl, token: fake.createInstallationToken(3) });
  const target = { owner: "octo", repo: "busy" };

  it("costs at most 20 requests cold, 1 unchanged and 2 after a push; refetches only the moved head", async () => {
    const cold = await fetchOpenPrFiles(octokit(), target, { cache: cache() });
    expect(cold.prs).toHaveLength(1000);
    expect(cold.requests).toBe(12); // 10 listing pages + 2 rounds of batched follow-ups (#1: 3 pages, #2: 2)
    expect(cold.prs[0]?.files).toHaveLength(250);
    expect(cold.prs[1]?.files).toHaveLength(101);
    expect(cold.prs[2]).toMatchObject({ number: 3, headRefName: "feature/3", files: ["pkg/p2.txt", "src/mod2.ts"] });
    expect(cold.prs[2]?.headSha).toMatch(/^[0-9a-f]{40}$/);
    expect(await cache().get("octo/busy", cold.prs[0]?.headSha ?? "")).toHaveLength(250);

    let from = fake.requests.length;
    const warm = await fetchOpenPrFiles(octokit(), target, { cache: cache() });
    expect(warm.requests).toBe(1);
    expect(warm.prs).toEqual(cold.prs);
    expect(graphqlQueries(from).join("\n")).not.toMatch(/files\(/);

    const moved = await pushToPull(fake, repo, 500, { "src/new.ts": "new\n" });
    from = fake.requests.length;
    const after = await fetchOpenPrFiles(octokit(), target, { cache: cache() });
    expect(after.requests).toBe(2);
    expect(after.prs.find((pr) => pr.number === 500)).toEqual({ number: 500, headRefName: "feature/500", headSha: moved, files: ["pkg/p499.txt", "src/mod19.ts", "src/new.ts"] });
    const filesQuery = graphqlQueries(from)[1] ?? "";
    expect(filesQuery.match(/pullRequest\(number: \d+\)/g)).toEqual(["pullRequest(number: 500)"]);
  }, 120_000);

  it("drops a closed pull request and adds a new one incrementally, leaving out excluded numbers", async () => {
    const closed = fake.repo(repo).issues.get(7);
    if (!closed) throw new Error("no #7");
    closed.state = "closed";
    closed.updatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const [added] = await seedPulls(fake, repo, [{ branch: "feature/new", files: { "src/mod1.ts": "// new\n" } }]);
    const result = await fetchOpenPrFiles(octokit(), target, { cache: cache(), excludeNumbers: [3, 4] });
    expect(result.requests).toBe(2);
    const numbers = result.prs.map((pr) => pr.number);
    expect(numbers).toHaveLength(1000 - 1 + 1 - 2);
    expect(numbers).not.toContain(7);
    expect(numbers).not.toContain(3);
    expect(result.prs.at(-1)).toMatchObject({ number: added?.number, files: ["src/mod1.ts"] });
  }, 60_000);

  it("lists everything again (without files) when the index is stale, reading files from the cache", async () => {
    const later = Date.now() + 7 * 3600_000;
    const result = await fetchOpenPrFiles(octokit(), target, { cache: cache(), now: () => later });
    expect(result.requests).toBe(10);
    expect(result.prs).toHaveLength(1000);
  }, 60_000);
});
