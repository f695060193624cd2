import { generateKeyPairSync } from "node:crypto";
import { execa } from "execa";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probotGitHubAuth, type ProbotGitHubAuth } from "../../../../src/github/github-auth.js";
import { gitAuthFor } from "../../../../src/workers/git-auth-for.js";
import { JOB_PERMISSIONS } from "../../../../src/workers/job-permissions.js";
import { createFakeGitHub, gitAuthArgs, type FakeGitHub, type FakeRepo } from "../../../helpers/fake-github/index.js";

// The fake holds a narrowed token to what it was minted for, as GitHub does: 404 outside its
// repositories, 403 without the permission (test/helpers/fake-github/token-scope.ts).
let fake: FakeGitHub;
let widgets: FakeRepo;
let gadgets: FakeRepo;
let github: ProbotGitHubAuth;

beforeAll(async () => {
  fake = await createFakeGitHub();
  widgets = await fake.addRepo({ owner: "acme", name: "widgets", files: { "README.md": "w\n" }, installationId: 1 });
  gadgets = await fake.addRepo({ owner: "acme", name: "gadgets", files: { "README.md": "g\n" }, installationId: 1 });
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  // As src/server/runtime.ts builds it: tokens are minted on the configured server, throttling off for the fake.
  type RequestLike = { defaults(options: { baseUrl: string }): RequestLike };
  const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => {
    const auth = options.auth as { request?: RequestLike } | undefined;
    return {
      ...options,
      auth: auth?.request ? { ...auth, request: auth.request.defaults({ baseUrl: fake.apiUrl }) } : auth,
      throttle: { ...(options.throttle as object), enabled: false },
      retry: { enabled: false },
    };
  });
  const probot = new Probot({ appId: 1, privateKey, baseUrl: fake.apiUrl, log: pino({ level: "silent" }), Octokit });
  github = probotGitHubAuth(probot, `http://${fake.host}/`);
});
afterAll(() => fake.close());

const status = async (call: Promise<unknown>): Promise<number> => {
  try {
    await call;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
};
const tokenPosts = () => fake.requests.filter((r) => r.method === "POST" && r.path === "/api/v3/app/installations/1/access_tokens");

describe("a job's GitHub client is narrowed to the job's repository and permissions", () => {
  it("reaches its own repository with its permissions, and nothing of another repository of the installation", async () => {
    const mine = fake.addIssue(widgets, { title: "mine", body: "", user: "alice" });
    const other = fake.addIssue(gadgets, { title: "other", body: "", user: "alice" });
    const before = tokenPosts().length;
    const octokit = await github.octokitFor(1, { repo: "widgets", permissions: JOB_PERMISSIONS.status });

    expect(await status(octokit.rest.issues.createComment({ owner: "acme", repo: "widgets", issue_number: mine.number, body: "status" }))).toBe(200);
    // Another repository of the same installation: as if it did not exist.
    expect(await status(octokit.rest.issues.createComment({ owner: "acme", repo: "gadgets", issue_number: other.number, body: "x" }))).toBe(404);
    expect(await status(octokit.rest.repos.get({ owner: "acme", repo: "gadgets" }))).toBe(404);
    // Its own repository, beyond the status job's permissions.
    expect(await status(octokit.rest.repos.getContent({ owner: "acme", repo: "widgets", path: "README.md" }))).toBe(403);
    expect(await status(octokit.rest.git.deleteRef({ owner: "acme", repo: "widgets", ref: "heads/main" }))).toBe(403);
    expect(await status(octokit.rest.pulls.list({ owner: "acme", repo: "widgets" }))).toBe(403);

    expect(tokenPosts().slice(before).map((r) => r.body)).toEqual([{ repositories: ["widgets"], permissions: { issues: "write", metadata: "read" } }]);
    expect([...fake.repo(gadgets).comments.values()]).toHaveLength(0);
  });

  it("no worker's permission set is installation-wide or names another repository", () => {
    for (const permissions of Object.values(JOB_PERMISSIONS)) {
      expect(Object.keys(permissions).length).toBeLessThan(5);
      expect(permissions).toMatchObject({ metadata: "read" });
    }
    expect(JOB_PERMISSIONS.status).not.toHaveProperty("contents");
    expect(JOB_PERMISSIONS.lane).toEqual({ checks: "write", metadata: "read" });
  });

  it("git tokens too: a fetch token for one repository neither fetches another nor pushes", async () => {
    const read = await gitAuthFor(github, 1, "widgets", "read");
    const git = (url: string, ...args: string[]) => execa("git", [...gitAuthArgs(read.token), ...args, url], { reject: false });
    expect((await git(widgets.cloneUrl, "ls-remote")).exitCode).toBe(0);
    const elsewhere = await git(gadgets.cloneUrl, "ls-remote");
    expect(elsewhere.exitCode).not.toBe(0);
    expect(elsewhere.stderr).toMatch(/not found|404/i);
    const push = await execa("git", [...gitAuthArgs(read.token), "push", widgets.cloneUrl, "HEAD:refs/heads/agent-race/x"], { cwd: widgets.bareDir, reject: false });
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toMatch(/403|denied/i);
    expect(fake.state.tokens.get(read.token)).toMatchObject({ repositories: ["widgets"], permissions: { contents: "read" } });
  });

  it("a token for a repository outside the installation is refused by GitHub, not widened", async () => {
    await expect(github.octokitFor(1, { repo: "elsewhere", permissions: JOB_PERMISSIONS.status }).then((o) => o.rest.repos.get({ owner: "acme", repo: "elsewhere" }))).rejects.toMatchObject({ status: 422 });
  });
});
