import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthHeader } from "../../../src/git/auth-header.js";
import { authScope, isOnHost } from "../../../src/git/auth-scope.js";
import { runGit } from "../../../src/git/git.js";
import { ensureMirror } from "../../../src/git/mirror-cache.js";
import { pushBranch } from "../../../src/git/push-branch.js";
import { createFakeGitHub, type FakeGitHub, type FakeRepo } from "../../helpers/fake-github/index.js";

const NO_PROXY = { http_proxy: "", https_proxy: "", HTTP_PROXY: "", HTTPS_PROXY: "", ALL_PROXY: "", all_proxy: "" };

describe("the auth header goes only to the configured GitHub host", () => {
  let github: FakeGitHub;
  let repo: FakeRepo;
  let trap: Server;
  let trapUrl: string;
  let dir: string;
  let token: string;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    github = await createFakeGitHub();
    repo = await github.addRepo({ owner: "octo", name: "scoped" });
    token = github.createInstallationToken();
    trap = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(401, { "WWW-Authenticate": 'Basic realm="trap"' }).end();
    });
    await new Promise<void>((done) => trap.listen(0, "127.0.0.1", done));
    trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), "agent-race-scope-"));
  });
  afterAll(async () => {
    trap.closeAllConnections();
    await new Promise<void>((done) => trap.close(() => done()));
    await github.close();
    await rm(dir, { recursive: true, force: true });
  });

  const auth = (): { authHeader: string; authScope: string; env: Record<string, string> } => ({
    authHeader: basicAuthHeader(token), authScope: authScope(github.url), env: NO_PROXY,
  });

  it("scopes to scheme, host and port, and checks clone URLs the same way", () => {
    expect(authScope("https://github.com/")).toBe("https://github.com/");
    expect(authScope("http://127.0.0.1:8080/api/v3")).toBe("http://127.0.0.1:8080/");
    expect(() => authScope("ssh://github.com/")).toThrow();
    expect(isOnHost("https://github.com/o/r.git", "https://github.com/")).toBe(true);
    expect(isOnHost("http://github.com/o/r.git", "https://github.com/")).toBe(false);
    expect(isOnHost("https://github.com.evil.test/o/r.git", "https://github.com/")).toBe(false);
    expect(isOnHost("https://x:y@github.com/o/r.git", "https://github.com/")).toBe(false);
  });

  it("sends it to the configured host (the fetch works) and refuses a header without a scope", async () => {
    const listed = await runGit(["ls-remote", "--heads", "--end-of-options", repo.cloneUrl], { cwd: dir, ...auth() });
    expect(listed.stdout).toMatch(/\trefs\/heads\/main$/);
    await expect(runGit(["ls-remote", "--end-of-options", repo.cloneUrl], { cwd: dir, authHeader: basicAuthHeader(token) })).rejects.toThrow(/authScope/);
  });

  it("never sends it to another host named by the remote URL", async () => {
    seen.length = 0;
    const result = await runGit(["ls-remote", "--end-of-options", `${trapUrl}/octo/scoped.git`], { cwd: dir, ...auth(), allowFailure: true });
    expect(result.exitCode).not.toBe(0);
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) expect(headers.authorization).toBeUndefined();
  });

  it("never sends it to a trap that a planted insteadOf rewrites the GitHub URL to (fetch and push)", async () => {
    const mirror = await ensureMirror({ cacheDir: join(dir, "cache"), owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, ...auth() });
    // What a lane could write into the shared mirror's config.
    await runGit(["config", `url.${trapUrl}/.insteadOf`, `${github.url}/`], { cwd: mirror });
    seen.length = 0;
    await expect(ensureMirror({ cacheDir: join(dir, "cache"), owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, ...auth() })).rejects.toThrow();
    const head = (await runGit(["rev-parse", "refs/remotes/origin/main"], { cwd: mirror })).stdout.trim();
    await runGit(["update-ref", "refs/heads/agent-race/x/1-a", head], { cwd: mirror });
    await expect(pushBranch({ repoDir: mirror, remoteUrl: repo.cloneUrl, branch: "agent-race/x/1-a", ...auth() })).rejects.toThrow();
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) expect(headers.authorization).toBeUndefined();
  });
});
