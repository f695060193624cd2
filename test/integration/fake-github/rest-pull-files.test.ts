import type { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeGitHub, createTestOctokit, type FakeGitHub, type FakeRepo } from "../../helpers/fake-github/index.js";
import { git } from "../../helpers/fake-github/git-ops.js";
import { pushToPull, seedPulls } from "../../helpers/fake-github/seed-pulls.js";
import type { FakePull } from "../../helpers/fake-github/types.js";

// The REST way to read open pull requests' files (what a simple bot does, and the overlap benchmark's
// baseline): `GET …/pulls?state=open` and `GET …/pulls/:n/files`, paginated, on seeded and pushed heads.
let fake: FakeGitHub;
let repo: FakeRepo;
let octokit: InstanceType<typeof ProbotOctokit>;
let pulls: FakePull[];
const target = { owner: "octo", repo: "many" };
const bigFiles = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`src/big/f${String(i).padStart(3, "0")}.ts`, `export const f${i} = ${i};\n`]));

beforeAll(async () => {
  fake = await createFakeGitHub();
  repo = await fake.addRepo({ owner: target.owner, name: target.repo, installationId: 5 });
  octokit = createTestOctokit({ apiUrl: fake.apiUrl, token: fake.createInstallationToken(5) });
  const small = Array.from({ length: 120 }, (_, i) => ({ branch: `feature/${i}`, files: { [`pkg/p${i}.txt`]: `${i}\none\ntwo\n`, "package.json": `{"v":${i}}\n` } }));
  pulls = await seedPulls(fake, repo, [{ branch: "feature/big", files: bigFiles }, ...small]);
}, 60_000);
afterAll(async () => {
  await fake.close();
});

const restRequests = (from: number) => fake.requests.slice(from).filter((r) => r.path.startsWith("/api/v3/"));

describe("REST pull request files on seeded pull requests", () => {
  it("lists 121 open pull requests in two pages of 100 with their current heads", async () => {
    const from = fake.requests.length;
    const listed = await octokit.paginate(octokit.rest.pulls.list, { ...target, state: "open", per_page: 100 });
    expect(restRequests(from).map((r) => r.query)).toEqual(["?state=open&per_page=100", "?state=open&per_page=100&page=2"]);
    expect(listed.map((p) => p.number)).toEqual(pulls.map((p) => p.number).reverse());
    const big = listed.find((p) => p.head.ref === "feature/big");
    expect(big?.head.sha).toBe(await git(repo.bareDir, ["rev-parse", "refs/heads/feature/big"]));
    expect(big?.base.sha).toBe(await git(repo.bareDir, ["rev-parse", "refs/heads/main"]));
  });

  it("pages 150 files 100 at a time, with the blob shas git has", async () => {
    const [big] = pulls;
    if (!big) throw new Error("no seeded pull request");
    const from = fake.requests.length;
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...target, pull_number: big.number, per_page: 100 });
    expect(restRequests(from)).toHaveLength(2);
    expect(files.map((f) => f.filename)).toEqual(Object.keys(bigFiles).sort());
    const first = files[0];
    expect(first).toMatchObject({ filename: "src/big/f000.ts", status: "modified", additions: 1, deletions: 0, changes: 1 });
    expect(first?.sha).toBe(await git(repo.bareDir, ["rev-parse", `${big.headSha}:src/big/f000.ts`]));
  });

  it("counts the lines of a seeded file and answers a one-page list in one request", async () => {
    const pull = pulls[3];
    if (!pull) throw new Error("no seeded pull request");
    const from = fake.requests.length;
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...target, pull_number: pull.number, per_page: 100 });
    expect(restRequests(from)).toHaveLength(1);
    expect(files.map((f) => [f.filename, f.additions])).toEqual([["package.json", 1], ["pkg/p2.txt", 3]]);
  });

  it("reads a pushed head's files from git, patches included", async () => {
    const pull = pulls[1];
    if (!pull) throw new Error("no seeded pull request");
    const head = await pushToPull(fake, repo, pull.number, { "src/new.ts": "export const added = true;\n" });
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...target, pull_number: pull.number, per_page: 100 });
    expect(files.map((f) => [f.filename, f.status])).toEqual([["package.json", "added"], ["pkg/p0.txt", "added"], ["src/new.ts", "added"]]);
    expect(files.find((f) => f.filename === "src/new.ts")?.patch).toContain("+export const added = true;");
    const { data } = await octokit.rest.pulls.get({ ...target, pull_number: pull.number });
    expect(data.head.sha).toBe(head);
  });

  it("answers 404 for a pull request that does not exist", async () => {
    await expect(octokit.rest.pulls.listFiles({ ...target, pull_number: 9999 })).rejects.toMatchObject({ status: 404 });
  });
});
