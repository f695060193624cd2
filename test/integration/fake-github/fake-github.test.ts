import { generateKeyPairSync } from "node:crypto";
import { gzipSync } from "node:zlib";
import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeGitHub, createTestOctokit, type FakeGitHub, type FakeRepo } from "../../helpers/fake-github/index.js";

let fake: FakeGitHub;
let repo: FakeRepo;
let octokit: InstanceType<typeof ProbotOctokit>;

beforeAll(async () => {
  fake = await createFakeGitHub();
  repo = await fake.addRepo({
    owner: "octo",
    name: "widgets",
    files: { "README.md": "# widgets\n", ".github/agent-race.yml": "agents:\n  - claude\n", "src/deep/file.txt": "deep\n" },
  });
  octokit = createTestOctokit({ apiUrl: fake.apiUrl, token: fake.createInstallationToken() });
});
afterAll(() => fake.close());

const status = async (p: Promise<unknown>): Promise<number> => {
  try {
    await p;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
};

describe("fake GitHub REST: app auth", () => {
  it("mints installation tokens for a JWT-authenticated app, as Probot does", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const app = new ProbotOctokit({ auth: { appId: 4242, privateKey, installationId: 1 }, baseUrl: fake.apiUrl, throttle: { enabled: false } });
    const { data } = await app.rest.repos.get({ owner: "octo", repo: "widgets" });
    expect(data).toMatchObject({ full_name: "octo/widgets", default_branch: "main", clone_url: repo.cloneUrl, private: false, archived: false });
    const minted = fake.requests.find((r) => r.path === "/api/v3/app/installations/1/access_tokens");
    expect(minted?.status).toBe(201);
    expect(fake.state.tokens.size).toBeGreaterThanOrEqual(2);

    const appOnly = new ProbotOctokit({ auth: { appId: 4242, privateKey }, baseUrl: fake.apiUrl, throttle: { enabled: false } });
    expect((await appOnly.rest.apps.getAuthenticated()).data?.slug).toBe("agent-race");
    expect((await appOnly.rest.apps.getRepoInstallation({ owner: "octo", repo: "widgets" })).data.id).toBe(1);
    expect((await appOnly.rest.apps.listInstallations()).data.map((i) => i.id)).toEqual([1]);
  });

  it("rejects missing and unknown credentials with 401", async () => {
    expect((await fetch(`${fake.apiUrl}/repos/octo/widgets`)).status).toBe(401);
    const bad = createTestOctokit({ apiUrl: fake.apiUrl, token: "ghs_nope" });
    expect(await status(bad.rest.repos.get({ owner: "octo", repo: "widgets" }))).toBe(401);
    expect((await fetch(`${fake.apiUrl}/app/installations/1/access_tokens`, { method: "POST" })).status).toBe(401);
    expect(await status(octokit.rest.repos.get({ owner: "octo", repo: "missing" }))).toBe(404);
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: "/api/v3/repos/octo/missing", status: 404 });
  });
});

describe("fake GitHub REST: repo data", () => {
  it("reports collaborator permissions (legacy permission + role_name)", async () => {
    fake.setPermission(repo, "alice", "maintain");
    fake.addIssue(repo, { title: "known user", user: "bob" });
    const alice = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "octo", repo: "widgets", username: "alice" });
    expect(alice.data).toMatchObject({ permission: "write", role_name: "maintain", user: { login: "alice" } });
    const bob = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "octo", repo: "widgets", username: "bob" });
    expect(bob.data.permission).toBe("none");
    const err = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "octo", repo: "widgets", username: "ghost" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, response: { data: { message: "ghost is not a user" } } });
  });

  it("serves contents raw and as base64 JSON, and context.config() finds the file", async () => {
    const raw = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner: "octo", repo: "widgets", path: "src/deep/file.txt", mediaType: { format: "raw" } });
    expect(raw.data).toBe("deep\n");
    const json = await octokit.rest.repos.getContent({ owner: "octo", repo: "widgets", path: "src/deep/file.txt" });
    expect(json.data).toMatchObject({ type: "file", encoding: "base64", path: "src/deep/file.txt", name: "file.txt" });
    expect(Buffer.from((json.data as { content: string }).content, "base64").toString()).toBe("deep\n");
    expect(await status(octokit.rest.repos.getContent({ owner: "octo", repo: "widgets", path: "nope.txt" }))).toBe(404);
    expect(await status(octokit.rest.repos.getContent({ owner: "octo", repo: "widgets", path: "README.md", ref: "no-such-ref" }))).toBe(404);
    const { config } = await octokit.config.get({ owner: "octo", repo: "widgets", path: ".github/agent-race.yml" });
    expect(config).toEqual({ agents: ["claude"] });
    expect(await status(octokit.rest.repos.getContent({ owner: "octo", repo: ".github", path: ".github/agent-race.yml" }))).toBe(404);
  });
});

describe("fake GitHub REST: issues, comments, reactions, labels", () => {
  it("round-trips comments as the app bot", async () => {
    const issue = fake.addIssue(repo, { number: 7, title: "Fix the widget", body: "please", user: "carol", labels: ["bug"] });
    const got = await octokit.rest.issues.get({ owner: "octo", repo: "widgets", issue_number: 7 });
    expect(got.data).toMatchObject({ number: 7, title: "Fix the widget", user: { login: "carol" }, labels: [{ name: "bug" }], state: "open" });
    const created = await octokit.rest.issues.createComment({ owner: "octo", repo: "widgets", issue_number: 7, body: "On it" });
    expect(created.status).toBe(201);
    expect(created.data.user?.login).toBe("agent-race[bot]");
    fake.addComment(repo, 7, { body: "/race stop", user: "carol" });
    const listed = await octokit.rest.issues.listComments({ owner: "octo", repo: "widgets", issue_number: 7 });
    expect(listed.data.map((c) => c.body)).toEqual(["On it", "/race stop"]);
    await octokit.rest.issues.updateComment({ owner: "octo", repo: "widgets", comment_id: created.data.id, body: "Done" });
    expect((await octokit.rest.issues.getComment({ owner: "octo", repo: "widgets", comment_id: created.data.id })).data.body).toBe("Done");
    const reaction = await octokit.rest.reactions.createForIssueComment({ owner: "octo", repo: "widgets", comment_id: created.data.id, content: "rocket" });
    expect(reaction.status).toBe(201);
    expect((await octokit.rest.reactions.createForIssueComment({ owner: "octo", repo: "widgets", comment_id: created.data.id, content: "rocket" })).status).toBe(200);
    await octokit.rest.reactions.createForIssue({ owner: "octo", repo: "widgets", issue_number: 7, content: "eyes" });
    expect(issue.reactions.map((r) => r.content)).toEqual(["eyes"]);
    expect(await status(octokit.rest.reactions.createForIssue({ owner: "octo", repo: "widgets", issue_number: 7, content: "wat" as "eyes" }))).toBe(422);
    await octokit.rest.issues.deleteComment({ owner: "octo", repo: "widgets", comment_id: created.data.id });
    expect(await status(octokit.rest.issues.getComment({ owner: "octo", repo: "widgets", comment_id: created.data.id }))).toBe(404);
  });

  it("manages labels and issue state", async () => {
    fake.addIssue(repo, { number: 8, title: "Label me", user: "carol" });
    expect(await status(octokit.rest.issues.getLabel({ owner: "octo", repo: "widgets", name: "agent-race: running" }))).toBe(404);
    const created = await octokit.rest.issues.createLabel({ owner: "octo", repo: "widgets", name: "agent-race: running", color: "fbca04" });
    expect(created.status).toBe(201);
    expect(await status(octokit.rest.issues.createLabel({ owner: "octo", repo: "widgets", name: "Agent-Race: Running", color: "fbca04" }))).toBe(422);
    expect((await octokit.rest.issues.getLabel({ owner: "octo", repo: "widgets", name: "agent-race: running" })).data.color).toBe("fbca04");
    const added = await octokit.rest.issues.addLabels({ owner: "octo", repo: "widgets", issue_number: 8, labels: ["agent-race: running", "race"] });
    expect(added.data.map((l) => l.name)).toEqual(["agent-race: running", "race"]);
    const removed = await octokit.rest.issues.removeLabel({ owner: "octo", repo: "widgets", issue_number: 8, name: "agent-race: running" });
    expect(removed.data.map((l) => l.name)).toEqual(["race"]);
    expect(await status(octokit.rest.issues.removeLabel({ owner: "octo", repo: "widgets", issue_number: 8, name: "agent-race: running" }))).toBe(404);
    const closed = await octokit.rest.issues.update({ owner: "octo", repo: "widgets", issue_number: 8, state: "closed", labels: ["done"] });
    expect(closed.data).toMatchObject({ state: "closed", labels: [{ name: "done" }] });
  });

  it("accepts gzip-encoded JSON bodies and injects one-off failures", async () => {
    const token = fake.createInstallationToken();
    const body = gzipSync(JSON.stringify({ body: "zipped" }));
    const res = await fetch(`${fake.apiUrl}/repos/octo/widgets/issues/7/comments`, {
      method: "POST",
      headers: { authorization: `token ${token}`, "content-type": "application/json", "content-encoding": "gzip" },
      body,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-ratelimit-remaining")).toBe("4999");
    expect(((await res.json()) as { body: string }).body).toBe("zipped");
    fake.failNext("POST", /\/issues\/7\/comments$/, 502);
    expect(await status(octokit.rest.issues.createComment({ owner: "octo", repo: "widgets", issue_number: 7, body: "x" }))).toBe(502);
    expect((await octokit.rest.issues.createComment({ owner: "octo", repo: "widgets", issue_number: 7, body: "x" })).status).toBe(201);
  });
});
