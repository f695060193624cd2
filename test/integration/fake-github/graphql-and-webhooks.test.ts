import { createHmac, generateKeyPairSync, timingSafeEqual } from "node:crypto";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFakeGitHub, createTestOctokit, gitAuthArgs, issueCommentPayload, issueLabeledPayload,
  pullRequestClosedPayload, pullRequestReviewPayload, sendWebhook, type FakeGitHub, type FakeRepo,
} from "../../helpers/fake-github/index.js";

let fake: FakeGitHub;
let repo: FakeRepo;
let octokit: InstanceType<typeof ProbotOctokit>;
let work: string;
const git = async (cwd: string, ...args: string[]) => (await execa("git", args, { cwd })).stdout;

/** Pushes `branch` with `count` new files and opens a PR for it. */
async function pushAndOpen(branch: string, count: number, draft: boolean): Promise<{ number: number; node_id: string }> {
  const token = fake.createInstallationToken(7);
  const dir = join(work, branch);
  await git(work, ...gitAuthArgs(token), "clone", "-q", repo.cloneUrl, branch);
  await git(dir, "checkout", "-q", "-b", branch);
  await mkdir(join(dir, "gen"), { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(join(dir, "gen", `f${String(i).padStart(3, "0")}.txt`), `${i}\n`);
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", `${count} files`);
  await git(dir, ...gitAuthArgs(token), "push", "-q", "origin", branch);
  const { data } = await octokit.rest.pulls.create({ owner: "octo", repo: "bulk", head: branch, base: "main", title: branch, draft });
  return data;
}

beforeAll(async () => {
  fake = await createFakeGitHub();
  repo = await fake.addRepo({ owner: "octo", name: "bulk", installationId: 7 });
  octokit = createTestOctokit({ apiUrl: fake.apiUrl, token: fake.createInstallationToken(7) });
  work = await mkdtemp(join(tmpdir(), "fake-github-gql-"));
});
afterAll(async () => {
  await fake.close();
  await rm(work, { recursive: true, force: true });
});

const OPEN_PRS = `query($owner: String!, $name: String!, $first: Int!, $after: String, $filesAfter: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: OPEN, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { number headRefName headRefOid files(first: 100, after: $filesAfter) { pageInfo { hasNextPage endCursor } nodes { path } } }
    }
  }
}`;

interface FilesPage { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ path: string }> }
interface OpenPrs { repository: { pullRequests: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ number: number; headRefName: string; headRefOid: string; files: FilesPage }> } } }

describe("GraphQL", () => {
  it("pages open pull requests and their files", async () => {
    const big = await pushAndOpen("lane-big", 150, true);
    await pushAndOpen("lane-small", 2, false);
    const vars = { owner: "octo", name: "bulk", first: 1 };
    const first = await octokit.graphql<OpenPrs>(OPEN_PRS, { ...vars, after: null });
    const page1 = first.repository.pullRequests;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.nodes.map((n) => [n.number, n.headRefName, n.files.nodes.length, n.files.pageInfo.hasNextPage])).toEqual([[big.number, "lane-big", 100, true]]);
    expect(page1.nodes[0]?.headRefOid).toMatch(/^[0-9a-f]{40}$/);
    const files2 = await octokit.graphql<OpenPrs>(OPEN_PRS, { ...vars, after: null, filesAfter: page1.nodes[0]?.files.pageInfo.endCursor });
    const rest = files2.repository.pullRequests.nodes[0]?.files;
    expect([rest?.nodes.length, rest?.pageInfo.hasNextPage, rest?.nodes[0]?.path]).toEqual([50, false, "gen/f100.txt"]);
    const second = await octokit.graphql<OpenPrs>(OPEN_PRS, { ...vars, after: page1.pageInfo.endCursor });
    expect(second.repository.pullRequests.nodes.map((n) => [n.headRefName, n.files.nodes.map((f) => f.path)])).toEqual([["lane-small", ["gen/f000.txt", "gen/f001.txt"]]]);
    expect(second.repository.pullRequests.pageInfo.hasNextPage).toBe(false);

    const ready = await octokit.graphql<{ markPullRequestReadyForReview: { pullRequest: { isDraft: boolean } } }>(
      `mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { id isDraft } } }`,
      { id: big.node_id },
    );
    expect(ready.markPullRequestReadyForReview.pullRequest.isDraft).toBe(false);
    expect((await octokit.rest.pulls.get({ owner: "octo", repo: "bulk", pull_number: big.number })).data.draft).toBe(false);
    await expect(octokit.graphql("query { viewer { login } }")).rejects.toThrow(/unsupported/);
  });
});

describe("webhooks", () => {
  let server: Server;
  let hookUrl: string;
  const received: Array<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> = [];
  const handled: string[] = [];

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const probot = new Probot({ appId: 4242, privateKey, secret: "s3cret", baseUrl: fake.apiUrl, logLevel: "fatal", Octokit: ProbotOctokit.defaults({ throttle: { enabled: false } }) });
    const middleware = await createNodeMiddleware((app) => {
      app.on("issues.labeled", async (context) => {
        await context.octokit.rest.issues.createComment(context.issue({ body: `saw ${context.payload.label?.name ?? "?"}` }));
        handled.push(`${context.payload.repository.clone_url} ${context.payload.installation?.id ?? 0}`);
      });
    }, { probot });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => received.push({ headers: req.headers, body: Buffer.concat(chunks) }));
      void middleware(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("signs the exact body bytes and is accepted by Probot, which can call back into the fake", async () => {
    const issue = fake.addIssue(repo, { number: 40, title: "Go", user: "dana" });
    const payload = issueLabeledPayload({ repo, issue, label: "agent-race", sender: "dana", installationId: 7 });
    const res = await sendWebhook({ url: hookUrl, secret: "s3cret", event: "issues", payload, deliveryId: "d-1" });
    expect(res.status).toBe(200);
    const last = received.at(-1);
    const expected = Buffer.from(`sha256=${createHmac("sha256", "s3cret").update(last?.body ?? "").digest("hex")}`);
    expect(timingSafeEqual(Buffer.from(String(last?.headers["x-hub-signature-256"])), expected)).toBe(true);
    expect(last?.headers).toMatchObject({ "x-github-event": "issues", "x-github-delivery": "d-1", "content-type": "application/json" });
    expect(handled).toEqual([`${repo.cloneUrl} 7`]);
    expect([...fake.repo(repo).comments.values()].map((c) => [c.body, c.user.login])).toEqual([["saw agent-race", "agent-race[bot]"]]);
    expect((await sendWebhook({ url: hookUrl, secret: "wrong", event: "issues", payload })).status).toBe(400);
  });

  it("builds realistic payloads pointing at the fake server", () => {
    const common = { repo, sender: "dana", installationId: 7 };
    const labeled = issueLabeledPayload({ ...common, issue: { number: 3, title: "t", labels: ["bug"] }, label: "race" });
    expect(labeled).toMatchObject({
      action: "labeled",
      label: { name: "race" },
      issue: { number: 3, html_url: `${fake.url}/octo/bulk/issues/3`, labels: [{ name: "bug" }, { name: "race" }] },
      repository: { full_name: "octo/bulk", clone_url: repo.cloneUrl, html_url: `${fake.url}/octo/bulk`, owner: { login: "octo" } },
      installation: { id: 7 },
      sender: { login: "dana" },
    });
    expect(JSON.stringify(labeled)).not.toMatch(/github\.com|Codertocat|Hello-World/);
    const comment = issueCommentPayload({ ...common, issue: { number: 3, title: "t", isPullRequest: true }, body: "/race", commentId: 99 });
    expect(comment).toMatchObject({ action: "created", comment: { id: 99, body: "/race", user: { login: "dana" } }, issue: { pull_request: { url: `${fake.apiUrl}/repos/octo/bulk/pulls/3` } } });
    const review = pullRequestReviewPayload({ ...common, pull: { number: 5, head: "lane", headSha: "a".repeat(40) }, review: { id: 11, state: "changes_requested", body: "no" } });
    expect(review).toMatchObject({ action: "submitted", review: { id: 11, state: "changes_requested", commit_id: "a".repeat(40) }, pull_request: { number: 5, head: { ref: "lane" }, base: { ref: "main" } } });
    const closed = pullRequestClosedPayload({ ...common, pull: { number: 5, head: "lane" }, merged: true });
    expect(closed).toMatchObject({ action: "closed", number: 5, pull_request: { state: "closed", merged: true } });
  });
});
