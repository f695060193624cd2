import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GitError, PushRejectedError } from "../../../src/errors.js";
import { basicAuthHeader } from "../../../src/git/auth-header.js";
import { ensureMirror } from "../../../src/git/mirror-cache.js";
import { pushBranch } from "../../../src/git/push-branch.js";
import { createFakeGitHub, gitAuthArgs, type FakeGitHub, type FakeRepo } from "../../helpers/fake-github/index.js";
import { createTempRepo } from "../../helpers/temp-repo.js";

const BRANCH = "agent-race/fix-login-r1/1-codex";

async function git(dir: string, ...args: string[]): Promise<string> {
  return (await execa("git", args, { cwd: dir })).stdout;
}

/** Moves `refs/heads/<branch>` of a bare repo to a new commit on top of `parent`; returns its sha. */
async function commitOn(bareDir: string, branch: string, parent: string, message: string): Promise<string> {
  const sha = await git(bareDir, "commit-tree", `${parent}^{tree}`, "-p", parent, "-m", message);
  await git(bareDir, "update-ref", `refs/heads/${branch}`, sha);
  return sha;
}

async function remoteSha(repo: FakeRepo, branch: string): Promise<string | null> {
  const result = await execa("git", ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], { cwd: repo.bareDir, reject: false });
  return result.exitCode === 0 ? result.stdout : null;
}

describe("pushBranch", () => {
  let github: FakeGitHub;
  let repo: FakeRepo;
  let cacheDir: string;
  let mirror: string;
  let base: string;
  let token: string;
  let authHeader: string;
  let counter = 0;
  beforeAll(async () => {
    github = await createFakeGitHub();
  });
  afterAll(async () => {
    await github.close();
  });
  beforeEach(async () => {
    repo = await github.addRepo({ owner: "octo", name: `push-${++counter}` });
    token = github.createInstallationToken();
    authHeader = basicAuthHeader(token);
    cacheDir = await mkdtemp(join(tmpdir(), "agent-race-push-"));
    mirror = await ensureMirror({ cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/` });
    base = await git(mirror, "rev-parse", "refs/remotes/origin/main");
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("creates the branch, then moves it when the expected sha matches", async () => {
    const first = await commitOn(mirror, BRANCH, base, "first");
    const push = { repoDir: mirror, remoteUrl: repo.cloneUrl, branch: BRANCH, authHeader, authScope: `${github.url}/` };
    expect(await pushBranch({ ...push, expectedRemoteSha: null })).toEqual({ sha: first, previous: null });
    expect(await remoteSha(repo, BRANCH)).toBe(first);
    const second = await commitOn(mirror, BRANCH, first, "second");
    expect(await pushBranch({ ...push, expectedRemoteSha: first })).toEqual({ sha: second, previous: first });
    expect(await remoteSha(repo, BRANCH)).toBe(second);
    // Not a fast-forward: still fine when the lease holds (the lane was rebuilt).
    const rebuilt = await commitOn(mirror, BRANCH, base, "rebuilt");
    expect(await pushBranch(push)).toEqual({ sha: rebuilt, previous: second });
    expect(await remoteSha(repo, BRANCH)).toBe(rebuilt);
  });

  it("without a lease, pushes a new branch without looking the remote up first, and replaces an existing one", async () => {
    const lookUps = (): number => github.state.gitRequests.filter((r) => r.repo === repo.name && r.service === "git-upload-pack").length;
    const pushes = (): number => github.state.gitRequests.filter((r) => r.repo === repo.name && r.method === "POST" && r.service === "git-receive-pack").length;
    const [lookUpsBefore, pushesBefore] = [lookUps(), pushes()];
    const first = await commitOn(mirror, BRANCH, base, "first");
    const push = { repoDir: mirror, remoteUrl: repo.cloneUrl, branch: BRANCH, authHeader, authScope: `${github.url}/` };
    expect(await pushBranch(push)).toEqual({ sha: first, previous: null });
    expect([lookUps() - lookUpsBefore, pushes() - pushesBefore]).toEqual([0, 1]);
    // A re-run of the lane: its earlier push is there; refused as new, then replaced under a lease on it.
    const rebuilt = await commitOn(mirror, BRANCH, base, "rebuilt");
    expect(await pushBranch(push)).toEqual({ sha: rebuilt, previous: first });
    expect(await remoteSha(repo, BRANCH)).toBe(rebuilt);
  });

  it("rejects a push whose expected sha is stale, and the remote keeps the other commit", async () => {
    const ours = await commitOn(mirror, BRANCH, base, "ours");
    const push = { repoDir: mirror, remoteUrl: repo.cloneUrl, branch: BRANCH, authHeader, authScope: `${github.url}/` };
    await pushBranch({ ...push, expectedRemoteSha: null });
    // Someone else pushes to the branch.
    const other = await createTempRepo();
    try {
      await other.git(...gitAuthArgs(token), "fetch", "-q", repo.cloneUrl, `refs/heads/${BRANCH}`);
      await other.git("checkout", "-q", "FETCH_HEAD");
      await other.write("theirs.txt", "theirs\n");
      const theirs = await other.commitAll("theirs");
      await other.git(...gitAuthArgs(token), "push", "-q", repo.cloneUrl, `HEAD:refs/heads/${BRANCH}`);
      await commitOn(mirror, BRANCH, ours, "ours again");
      const error = await pushBranch({ ...push, expectedRemoteSha: ours }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PushRejectedError);
      const rejected = error as PushRejectedError;
      expect(rejected.message).toMatch(/moved on the remote/);
      expect(rejected.message).toContain(theirs);
      expect(rejected).toMatchObject({ branch: BRANCH, expectedSha: ours, remoteSha: theirs });
      expect(rejected.message).not.toContain(token);
      expect(await remoteSha(repo, BRANCH)).toBe(theirs);
      // `null` (must not exist yet) is rejected too once the branch exists.
      await expect(pushBranch({ ...push, expectedRemoteSha: null })).rejects.toBeInstanceOf(PushRejectedError);
      expect(await remoteSha(repo, BRANCH)).toBe(theirs);
    } finally {
      await other.cleanup();
    }
  });

  it("fails clearly without valid credentials, never showing a token", async () => {
    await commitOn(mirror, BRANCH, base, "lane");
    const push = { repoDir: mirror, remoteUrl: repo.cloneUrl, branch: BRANCH, expectedRemoteSha: null };
    const anonymous = await pushBranch(push).catch((e: unknown) => e);
    expect(anonymous).toBeInstanceOf(GitError);
    expect((anonymous as Error).message).toMatch(/authentication to .* failed/);
    const badToken = "ghs_notARealToken0123456789";
    const bad = basicAuthHeader(badToken);
    const wrong = await pushBranch({ ...push, authHeader: bad, authScope: `${github.url}/` }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(GitError);
    const text = `${(wrong as GitError).message}\n${(wrong as GitError).stderr}\n${(wrong as GitError).args.join(" ")}`;
    expect(text).toMatch(/authentication to .* failed/);
    for (const secret of [badToken, bad, bad.slice(bad.lastIndexOf(" ") + 1), token]) expect(text).not.toContain(secret);
    expect(await remoteSha(repo, BRANCH)).toBeNull();
  });

  it("never writes the token into the repository's config", async () => {
    await commitOn(mirror, BRANCH, base, "lane");
    await pushBranch({ repoDir: mirror, remoteUrl: repo.cloneUrl, branch: BRANCH, authHeader, authScope: `${github.url}/` });
    const config = await readFile(join(mirror, "config"), "utf8");
    for (const secret of [token, authHeader.slice(authHeader.lastIndexOf(" ") + 1)]) expect(config).not.toContain(secret);
    expect(config).not.toMatch(/extraheader|x-access-token/i);
  });

  it("pushes from a worktree with hooks off, and refuses bad input", async () => {
    const work = await createTempRepo();
    try {
      const hook = join(work.dir, ".git", "hooks", "pre-push");
      await writeFile(hook, "#!/bin/sh\necho hook ran >&2\nexit 1\n");
      await chmod(hook, 0o755);
      await work.git("checkout", "-q", "-b", "lane");
      const sha = await work.git("rev-parse", "HEAD");
      const push = { repoDir: work.dir, remoteUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/` };
      expect(await pushBranch({ ...push, branch: "lane" })).toEqual({ sha, previous: null });
      expect(await remoteSha(repo, "lane")).toBe(sha);
      await expect(pushBranch({ ...push, branch: "missing" })).rejects.toThrow(/branch missing does not exist/);
      await expect(pushBranch({ ...push, branch: "bad..name" })).rejects.toThrow(/invalid branch name/);
      await expect(pushBranch({ ...push, branch: "lane", expectedRemoteSha: "HEAD~1" })).rejects.toThrow(/invalid expected remote sha/);
      const withToken = repo.cloneUrl.replace("http://", `http://x-access-token:${token}@`);
      const leaky = await pushBranch({ ...push, branch: "lane", remoteUrl: withToken }).catch((e: unknown) => e);
      expect((leaky as Error).message).toMatch(/must not contain credentials/);
      expect((leaky as Error).message).not.toContain(token);
    } finally {
      await work.cleanup();
    }
  });
});
