import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { execa } from "execa";
import type { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeGitHub, createTestOctokit, gitAuthArgs, type FakeGitHub, type FakeRepo } from "../../helpers/fake-github/index.js";

let fake: FakeGitHub;
let repo: FakeRepo;
let token: string;
let octokit: InstanceType<typeof ProbotOctokit>;
let work: string;
const owner = "octo";
const name = "gadgets";

const git = async (cwd: string, ...args: string[]) =>
  (await execa("git", args, { cwd, env: { GIT_TERMINAL_PROMPT: "0" } })).stdout;
const status = (p: Promise<unknown>): Promise<number> => p.then(() => 200, (e: { status: number }) => e.status);

beforeAll(async () => {
  fake = await createFakeGitHub();
  repo = await fake.addRepo({ owner, name, files: { "README.md": "# gadgets\n", "src/a.ts": "export const a = 1;\n" } });
  token = fake.createInstallationToken();
  octokit = createTestOctokit({ apiUrl: fake.apiUrl, token });
  work = await mkdtemp(join(tmpdir(), "fake-github-client-"));
  await git(work, ...gitAuthArgs(token), "clone", "-q", repo.cloneUrl, "clone");
});
afterAll(async () => {
  await fake.close();
  await rm(work, { recursive: true, force: true });
});

describe("git smart HTTP", () => {
  it("refuses unauthenticated or bad-token clones with 401", async () => {
    await expect(git(work, "clone", "-q", repo.cloneUrl, "anon")).rejects.toThrow();
    await expect(git(work, ...gitAuthArgs("ghs_bogus"), "clone", "-q", repo.cloneUrl, "bogus")).rejects.toThrow();
    const denied = fake.state.gitRequests.filter((r) => r.status === 401);
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect(fake.requests.some((r) => r.path === `/${owner}/${name}.git/info/refs` && r.status === 401)).toBe(true);
  });

  it("clones, pushes a lane branch and records the token per request", async () => {
    const clone = join(work, "clone");
    expect(await git(clone, "log", "--format=%s")).toBe("Initial commit");
    await git(clone, "checkout", "-q", "-b", "agent-race/1/claude");
    await writeFile(join(clone, "src/a.ts"), "export const a = 2;\n");
    await writeFile(join(clone, "src/b.ts"), "export const b = 1;\n");
    await git(clone, "add", "-A");
    await git(clone, "commit", "-q", "-m", "lane work");
    await git(clone, ...gitAuthArgs(token), "push", "-q", "origin", "agent-race/1/claude");
    const pushes = fake.state.gitRequests.filter((r) => r.service === "git-receive-pack" && r.method === "POST");
    expect(pushes).toEqual([expect.objectContaining({ token, status: 200, owner, repo: name })]);
    expect(fake.state.gitRequests.some((r) => r.service === "git-upload-pack" && r.token === token)).toBe(true);
    const ref = await octokit.rest.git.getRef({ owner, repo: name, ref: "heads/agent-race/1/claude" });
    expect(ref.data.object.sha).toBe(await git(clone, "rev-parse", "HEAD"));
  });

  it("decodes gzip-encoded upload-pack requests (as git sends for large negotiations)", async () => {
    const want = await git(repo.bareDir, "rev-parse", "main");
    const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, "0")}${line}`;
    const res = await fetch(`${repo.cloneUrl}/git-upload-pack`, {
      method: "POST",
      headers: {
        authorization: `basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`,
        "content-type": "application/x-git-upload-pack-request",
        "content-encoding": "gzip",
      },
      body: gzipSync(`${pkt(`want ${want}\n`)}0000${pkt("done\n")}`),
    });
    expect([res.status, res.headers.get("content-type")]).toEqual([200, "application/x-git-upload-pack-result"]);
    const body = Buffer.from(await res.arrayBuffer()).toString("latin1");
    expect(body.startsWith("0008NAK\n")).toBe(true);
    expect(body).toContain("PACK");
  });
});

describe("pull requests, checks and refs", () => {
  it("creates a PR for the pushed branch and validates head/duplicates", async () => {
    fake.addIssue(repo, { number: 1, title: "Race me", user: "carol" });
    expect(await status(octokit.rest.pulls.create({ owner, repo: name, head: "nope", base: "main", title: "x" }))).toBe(422);
    fake.failNext("POST", /\/pulls$/, 500);
    expect(await status(octokit.rest.pulls.create({ owner, repo: name, head: "agent-race/1/claude", base: "main", title: "x" }))).toBe(500);
    const pr = await octokit.rest.pulls.create({ owner, repo: name, head: `${owner}:agent-race/1/claude`, base: "main", title: "Race #1: claude", body: "Closes #1", draft: true });
    expect(pr.status).toBe(201);
    expect(pr.data).toMatchObject({ number: 2, state: "open", draft: true, merged: false, head: { ref: "agent-race/1/claude" }, base: { ref: "main" }, html_url: `${fake.url}/${owner}/${name}/pull/2` });
    const dup = await octokit.rest.pulls.create({ owner, repo: name, head: "agent-race/1/claude", base: "main", title: "again" }).catch((e: unknown) => e);
    expect(dup).toMatchObject({ status: 422, response: { data: { errors: [{ message: `A pull request already exists for ${owner}:agent-race/1/claude.` }] } } });
    const listed = await octokit.rest.pulls.list({ owner, repo: name, state: "open", head: `${owner}:agent-race/1/claude` });
    expect(listed.data.map((p) => p.number)).toEqual([2]);
    expect((await octokit.rest.pulls.list({ owner, repo: name, head: `${owner}:other` })).data).toEqual([]);
    const files = await octokit.rest.pulls.listFiles({ owner, repo: name, pull_number: 2 });
    expect(files.data.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ["src/a.ts", "modified", 1, 1],
      ["src/b.ts", "added", 1, 0],
    ]);
    expect(files.data[0]?.patch).toContain("+export const a = 2;");
    await octokit.rest.issues.createComment({ owner, repo: name, issue_number: 2, body: "PR comment" });
    expect((await octokit.rest.issues.get({ owner, repo: name, issue_number: 2 })).data.pull_request).toBeDefined();
  });

  it("records check runs and lists them by ref", async () => {
    const { data: pr } = await octokit.rest.pulls.get({ owner, repo: name, pull_number: 2 });
    const run = await octokit.rest.checks.create({ owner, repo: name, name: "agent-race", head_sha: pr.head.sha, status: "in_progress", output: { title: "Racing", summary: "3 lanes" } });
    expect(run.status).toBe(201);
    const done = await octokit.rest.checks.update({ owner, repo: name, check_run_id: run.data.id, conclusion: "success", output: { title: "Winner", summary: "claude", text: "details" } });
    expect(done.data).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Winner", summary: "claude", text: "details" } });
    const bySha = await octokit.rest.checks.listForRef({ owner, repo: name, ref: pr.head.sha });
    const byBranch = await octokit.rest.checks.listForRef({ owner, repo: name, ref: "agent-race/1/claude", check_name: "agent-race" });
    expect([bySha.data.total_count, byBranch.data.check_runs[0]?.id]).toEqual([1, run.data.id]);
    expect(await status(octokit.rest.checks.create({ owner, repo: name, name: "x", head_sha: "0".repeat(40) }))).toBe(422);
  });

  it("serves review comments added through the test API", async () => {
    const review = await fake.addReview(repo, 2, { state: "CHANGES_REQUESTED", body: "fix", user: "carol", comments: [{ path: "src/a.ts", line: 1, diff_hunk: "@@ -1 +1 @@", body: "use 3" }] });
    const { data } = await octokit.rest.pulls.listCommentsForReview({ owner, repo: name, pull_number: 2, review_id: review.id });
    expect(data).toEqual([expect.objectContaining({ path: "src/a.ts", line: 1, body: "use 3", user: expect.objectContaining({ login: "carol" }) })]);
  });

  it("merges, then deletes the branch ref", async () => {
    await octokit.rest.pulls.update({ owner, repo: name, pull_number: 2, title: "Race #1 winner" });
    const merged = await octokit.rest.pulls.merge({ owner, repo: name, pull_number: 2 });
    expect(merged.data.merged).toBe(true);
    const { data: pr } = await octokit.rest.pulls.get({ owner, repo: name, pull_number: 2 });
    expect(pr).toMatchObject({ state: "closed", merged: true, title: "Race #1 winner", merge_commit_sha: merged.data.sha });
    const main = await octokit.rest.repos.getContent({ owner, repo: name, path: "src/b.ts", mediaType: { format: "raw" } });
    expect(main.data).toBe("export const b = 1;\n");
    expect((await octokit.rest.git.deleteRef({ owner, repo: name, ref: "heads/agent-race/1/claude" })).status).toBe(204);
    expect(await status(octokit.rest.git.deleteRef({ owner, repo: name, ref: "heads/agent-race/1/claude" }))).toBe(422);
    expect(await status(octokit.rest.git.getRef({ owner, repo: name, ref: "heads/agent-race/1/claude" }))).toBe(404);
    expect((await git(repo.bareDir, "branch", "--list")).trim()).toBe("* main");
  });
});
