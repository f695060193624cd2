import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { FRESH_FOR_MS, probotGitHubAuth } from "../../../src/workers/github-auth.js";
import { gitAuthFor } from "../../../src/workers/git-auth-for.js";
import { useStrictNock } from "../../helpers/strict-nock.js";

const strict = useStrictNock();
const API = "https://api.github.com";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

function auth(): ReturnType<typeof probotGitHubAuth> {
  const Octokit = ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } });
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
