import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { FRESH_FOR_MS, probotGitHubAuth, REST_FRESH_FOR_MS } from "../../../src/github/github-auth.js";
import { JOB_PERMISSIONS } from "../../../src/workers/job-permissions.js";
import { gitAuthFor } from "../../../src/workers/git-auth-for.js";
import { useStrictNock } from "../../helpers/strict-nock.js";

const strict = useStrictNock();
const API = "https://api.github.com";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

function auth(): ReturnType<typeof probotGitHubAuth> {
  // A function, as in src/server/runtime.ts: Probot's own throttle defaults would replace a plain `throttle: { enabled: false }`.
  const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, throttle: { ...(options.throttle as object), enabled: false }, retry: { enabled: false } }));
  const probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, log: pino({ level: "silent" }), Octokit });
  return probotGitHubAuth(probot, "https://github.com/");
}

const inAnHour = (): string => new Date(Date.now() + 3600_000).toISOString();

describe("probotGitHubAuth.tokenFor", () => {
  afterEach(() => {
    const { pending, requests } = strict.settle();
    expect(pending).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("asks GitHub for a token narrowed to the one repository and the step's permissions", async () => {
    const bodies: unknown[] = [];
    nock(API)
      .post("/app/installations/7/access_tokens", (body: unknown) => (bodies.push(body), true))
      .reply(201, { token: "ghs_push", expires_at: inAnHour(), permissions: { contents: "write" }, repository_selection: "selected", repositories: [{ id: 1, name: "widgets" }] })
      .post("/app/installations/7/access_tokens", (body: unknown) => (bodies.push(body), true))
      .reply(201, { token: "ghs_read", expires_at: inAnHour(), permissions: { contents: "read" }, repository_selection: "selected" });
    const github = auth();
    const push = await gitAuthFor(github, 7, "widgets", "push");
    expect(push).toEqual({ token: "ghs_push", authHeader: `AUTHORIZATION: basic ${Buffer.from("x-access-token:ghs_push").toString("base64")}`, authScope: "https://github.com/" });
    expect((await gitAuthFor(github, 7, "widgets", "read")).token).toBe("ghs_read");
    expect(bodies).toEqual([
      { repositories: ["widgets"], permissions: { contents: "write" } },
      { repositories: ["widgets"], permissions: { contents: "read" } },
    ]);
  });

  it("mints a new token when the cached one has less than FRESH_FOR_MS left", async () => {
    const soon = new Date(Date.now() + FRESH_FOR_MS - 60_000).toISOString();
    nock(API)
      .post("/app/installations/8/access_tokens", { repositories: ["widgets"], permissions: { contents: "write" } })
      .reply(201, { token: "ghs_old", expires_at: soon, permissions: { contents: "write" } })
      .post("/app/installations/8/access_tokens", { repositories: ["widgets"], permissions: { contents: "write" } })
      .reply(201, { token: "ghs_new", expires_at: inAnHour(), permissions: { contents: "write" } });
    const github = auth();
    expect(await github.tokenFor(8, { repo: "widgets", permissions: { contents: "write" } })).toBe("ghs_new");
    // Now cached with an hour left: no third request.
    expect(await github.tokenFor(8, { repo: "widgets", permissions: { contents: "write" } })).toBe("ghs_new");
  });

  it("refuses a repository name that is not one", async () => {
    await expect(auth().tokenFor(9, { repo: "../other", permissions: { contents: "read" } })).rejects.toThrow(/invalid repository name/);
  });
});

describe("probotGitHubAuth.octokitFor", () => {
  afterEach(() => {
    const { pending, requests } = strict.settle();
    expect(pending).toEqual([]);
    expect(requests).toEqual([]);
  });

  const tokenReply = (token: string, expiresAt = inAnHour()) => ({ token, expires_at: expiresAt, permissions: JOB_PERMISSIONS.status, repository_selection: "selected", repositories: [{ id: 1, name: "widgets" }] });

  it("sends every request with one token, minted for the job's repository and permissions only", async () => {
    const bodies: unknown[] = [];
    const auths: unknown[] = [];
    nock(API)
      .post("/app/installations/7/access_tokens", (body: unknown) => (bodies.push(body), true))
      .reply(201, tokenReply("ghs_status"))
      .post("/repos/octo/widgets/issues/3/comments")
      .times(2)
      .reply(201, function () {
        auths.push(this.req.headers.authorization);
        return { id: 1 };
      });
    const octokit = await auth().octokitFor(7, { repo: "widgets", permissions: JOB_PERMISSIONS.status });
    await octokit.rest.issues.createComment({ owner: "octo", repo: "widgets", issue_number: 3, body: "a" });
    await octokit.rest.issues.createComment({ owner: "octo", repo: "widgets", issue_number: 3, body: "b" });
    expect(bodies).toEqual([{ repositories: ["widgets"], permissions: { issues: "write", metadata: "read" } }]);
    expect(auths).toEqual(["token ghs_status", "token ghs_status"]);
  });

  it("keeps one cached token per repository and permission set, shared by the clients of one process", async () => {
    const bodies: unknown[] = [];
    nock(API)
      .post("/app/installations/7/access_tokens", (body: unknown) => (bodies.push(body), true))
      .times(3)
      .reply(201, (_uri, body) => tokenReply(`ghs_${bodies.length}_${JSON.stringify(body).length}`))
      .get(/\/repos\/octo\/(widgets|gadgets)$/)
      .times(4)
      .reply(200, { id: 1 });
    const github = auth();
    for (const [repo, permissions] of [["widgets", JOB_PERMISSIONS.status], ["widgets", JOB_PERMISSIONS.status], ["widgets", JOB_PERMISSIONS.lane], ["gadgets", JOB_PERMISSIONS.status]] as const) {
      await (await github.octokitFor(7, { repo, permissions })).rest.repos.get({ owner: "octo", repo });
    }
    expect(bodies).toEqual([
      { repositories: ["widgets"], permissions: JOB_PERMISSIONS.status },
      { repositories: ["widgets"], permissions: JOB_PERMISSIONS.lane },
      { repositories: ["gadgets"], permissions: JOB_PERMISSIONS.status },
    ]);
  });

  it("replaces a cached token with less than REST_FRESH_FOR_MS left, and retries a 401 right after minting", async () => {
    const soon = new Date(Date.now() + REST_FRESH_FOR_MS - 60_000).toISOString();
    const auths: unknown[] = [];
    nock(API)
      .post("/app/installations/8/access_tokens", { repositories: ["widgets"], permissions: JOB_PERMISSIONS.lane })
      .reply(201, tokenReply("ghs_old", soon))
      .post("/app/installations/8/access_tokens", { repositories: ["widgets"], permissions: JOB_PERMISSIONS.lane })
      .reply(201, tokenReply("ghs_new"))
      .post("/repos/octo/widgets/check-runs")
      .reply(401, function () {
        auths.push(this.req.headers.authorization);
        return { message: "Bad credentials" };
      })
      .post("/repos/octo/widgets/check-runs")
      .reply(201, function () {
        auths.push(this.req.headers.authorization);
        return { id: 5 };
      });
    const octokit = await auth().octokitFor(8, { repo: "widgets", permissions: JOB_PERMISSIONS.lane });
    const { data } = await octokit.rest.checks.create({ owner: "octo", repo: "widgets", name: "lane", head_sha: "a".repeat(40) });
    expect(data.id).toBe(5);
    expect(auths).toEqual(["token ghs_new", "token ghs_new"]);
  });

  it("refuses a repository name that is not one, before any request", async () => {
    await expect(auth().octokitFor(9, { repo: "widgets/../gadgets", permissions: JOB_PERMISSIONS.status })).rejects.toThrow(/invalid repository name/);
  });
});
