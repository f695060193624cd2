import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CancelledError, UserError } from "../../../src/errors.js";
import { basicAuthHeader } from "../../../src/git/auth-header.js";
import { ensureMirror } from "../../../src/git/mirror-cache.js";
import { createFakeGitHub, type FakeGitHub, type FakeRepo } from "../../helpers/fake-github/index.js";

/** Counts, plus `gate`: while set, every fetch waits for it (a sibling lane's fetch in progress). */
const gitCalls = vi.hoisted(() => ({ active: 0, maxActive: 0, fetches: 0, locks: 0, lookups: 0, gate: null as Promise<void> | null }));
vi.mock("../../../src/git/file-lock.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../src/git/file-lock.js")>();
  return {
    ...original,
    withFileLock: (...params: Parameters<typeof original.withFileLock>) => {
      gitCalls.locks++;
      return original.withFileLock(...params);
    },
  };
});
vi.mock("../../../src/git/git.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../src/git/git.js")>();
  return {
    ...original,
    runGit: async (...params: Parameters<typeof original.runGit>) => {
      if (params[0][0] === "cat-file") {
        const result = await original.runGit(...params);
        gitCalls.lookups++;
        return result;
      }
      if (params[0][0] !== "fetch") return original.runGit(...params);
      gitCalls.fetches++;
      await gitCalls.gate;
      gitCalls.maxActive = Math.max(gitCalls.maxActive, ++gitCalls.active);
      try {
        return await original.runGit(...params);
      } finally {
        gitCalls.active--;
      }
    },
  };
});

async function git(dir: string, ...args: string[]): Promise<string> {
  return (await execa("git", args, { cwd: dir })).stdout;
}

/** A new commit on top of `parent` in a bare repo, optionally moving `ref` to it. */
async function commitIn(bareDir: string, parent: string, message: string, ref?: string): Promise<string> {
  const sha = await git(bareDir, "commit-tree", `${parent}^{tree}`, "-p", parent, "-m", message);
  if (ref) await git(bareDir, "update-ref", ref, sha);
  return sha;
}

/** Every file under `dir` whose bytes contain one of `needles`. */
async function filesContaining(dir: string, needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const bytes = await readFile(path);
    if (needles.some((needle) => bytes.includes(needle))) hits.push(path);
  }
  return hits;
}

describe("ensureMirror", () => {
  let github: FakeGitHub;
  let repo: FakeRepo;
  let cacheDir: string;
  let token: string;
  let authHeader: string;
  beforeAll(async () => {
    github = await createFakeGitHub();
  });
  afterAll(async () => {
    await github.close();
  });
  let counter = 0;
  beforeEach(async () => {
    repo = await github.addRepo({ owner: "octo", name: `widgets-${++counter}` });
    cacheDir = await mkdtemp(join(tmpdir(), "agent-race-mirrors-"));
    token = github.createInstallationToken();
    authHeader = basicAuthHeader(token);
    Object.assign(gitCalls, { active: 0, maxActive: 0, fetches: 0, locks: 0, lookups: 0, gate: null });
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("creates a bare mirror with the expected config and fetches remote branches", async () => {
    const mirror = await ensureMirror({ cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/` });
    expect(mirror).toBe(join(cacheDir, repo.owner, `${repo.name}.git`));
    expect(await git(mirror, "rev-parse", "--is-bare-repository")).toBe("true");
    expect(await git(mirror, "config", "--get", "remote.origin.url")).toBe(repo.cloneUrl);
    expect(await git(mirror, "config", "--get-all", "remote.origin.fetch")).toBe("+refs/heads/*:refs/remotes/origin/*");
    expect(await git(mirror, "config", "--get", "core.hooksPath")).toBe("/dev/null");
    expect(await git(mirror, "config", "--get", "gc.auto")).toBe("0");
    expect(await git(mirror, "config", "--get", "fetch.prune")).toBe("true");
    expect(await git(mirror, "rev-parse", "refs/remotes/origin/main")).toBe(await git(repo.bareDir, "rev-parse", "main"));
    expect(existsSync(`${mirror}.lock`)).toBe(false);
    expect(existsSync(`${mirror}.init`)).toBe(false);
  });

  it("never writes the token to disk (config, FETCH_HEAD, logs, anything)", async () => {
    const base = await git(repo.bareDir, "rev-parse", "main");
    const hidden = await commitIn(repo.bareDir, base, "only reachable from a non-branch ref", "refs/keep/x");
    const input = { cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/` };
    const mirror = await ensureMirror(input);
    await ensureMirror({ ...input, wantShas: [base, hidden] });
    expect(existsSync(join(mirror, "FETCH_HEAD"))).toBe(true);
    const secret = authHeader.slice(authHeader.lastIndexOf(" ") + 1);
    expect(await filesContaining(cacheDir, [token, secret, authHeader])).toEqual([]);
  });

  it("refetches on every call, prunes deleted remote branches and leaves the mirror's own branches alone", async () => {
    const input = { cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/` };
    const base = await git(repo.bareDir, "rev-parse", "main");
    await commitIn(repo.bareDir, base, "feature", "refs/heads/feature");
    const mirror = await ensureMirror(input);
    expect(await git(mirror, "for-each-ref", "--format=%(refname)", "refs/remotes/origin")).toBe("refs/remotes/origin/feature\nrefs/remotes/origin/main");
    // Lane branches, one of them named like the remote branch that is about to disappear.
    await git(mirror, "update-ref", "refs/heads/agent-race/t-1/1-codex", base);
    await git(mirror, "update-ref", "refs/heads/feature", base);
    const next = await commitIn(repo.bareDir, base, "moves main", "refs/heads/main");
    await git(repo.bareDir, "update-ref", "-d", "refs/heads/feature");
    await ensureMirror(input);
    expect(await git(mirror, "for-each-ref", "--format=%(refname)", "refs/remotes/origin")).toBe("refs/remotes/origin/main");
    expect(await git(mirror, "rev-parse", "refs/remotes/origin/main")).toBe(next);
    expect(await git(mirror, "rev-parse", "refs/heads/agent-race/t-1/1-codex", "refs/heads/feature")).toBe(`${base}\n${base}`);
  });

  it("makes sure wanted commits are present, fetching them by sha when no branch has them", async () => {
    const base = await git(repo.bareDir, "rev-parse", "main");
    const hidden = await commitIn(repo.bareDir, base, "pull head", "refs/pull/7/head");
    const input = { cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/` };
    const mirror = await ensureMirror({ ...input, wantShas: [base, hidden] });
    expect(await git(mirror, "cat-file", "-t", hidden)).toBe("commit");
    const missing = "0123456789abcdef0123456789abcdef01234567";
    const attempt = ensureMirror({ ...input, wantShas: [base, missing] });
    await expect(attempt).rejects.toThrow(`base commit ${missing} not found in ${repo.owner}/${repo.name}`);
    await expect(attempt).rejects.not.toBeInstanceOf(UserError);
    await expect(ensureMirror({ ...input, wantShas: ["--upload-pack=touch /tmp/x"] })).rejects.toThrow(/invalid commit sha/);
  });

  it("lets four parallel calls for one repo all succeed, one at a time", async () => {
    const input = { cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/` };
    const paths = await Promise.all([1, 2, 3, 4].map(() => ensureMirror(input)));
    expect(new Set(paths).size).toBe(1);
    expect(gitCalls.fetches).toBe(4);
    expect(gitCalls.maxActive).toBe(1);
    const mirror = paths[0] ?? "";
    expect(await git(mirror, "config", "--get-all", "remote.origin.fetch")).toBe("+refs/heads/*:refs/remotes/origin/*");
  });

  /** Fetches of this test's repo as the remote saw them: each `git fetch` starts with one ref advertisement. */
  const remoteFetches = (): number =>
    github.state.gitRequests.filter((r) => r.repo === repo.name && r.path === "/info/refs" && r.service === "git-upload-pack").length;

  it("with fetch: if-missing, skips the fetch while the mirror has the base and fetches a new or hidden base", async () => {
    const base = await git(repo.bareDir, "rev-parse", "main");
    const input = { cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/`, fetch: "if-missing" as const };
    const mirror = await ensureMirror({ ...input, wantShas: [base] });
    expect(remoteFetches()).toBe(1);
    await ensureMirror({ ...input, wantShas: [base] });
    expect(remoteFetches()).toBe(1);
    expect(gitCalls.fetches).toBe(1);

    const next = await commitIn(repo.bareDir, base, "moves main", "refs/heads/main");
    await ensureMirror({ ...input, wantShas: [next] });
    expect(remoteFetches()).toBe(2);
    expect(await git(mirror, "rev-parse", "refs/remotes/origin/main")).toBe(next);
    const hidden = await commitIn(repo.bareDir, next, "pull head", "refs/pull/8/head");
    await ensureMirror({ ...input, wantShas: [next, hidden] });
    expect(remoteFetches()).toBe(4); // the branches, then the sha itself
    expect(await git(mirror, "cat-file", "-t", hidden)).toBe("commit");
    const missing = "0123456789abcdef0123456789abcdef01234567";
    await expect(ensureMirror({ ...input, wantShas: [missing] })).rejects.toThrow(`base commit ${missing} not found`);
    // Without a wanted commit there is nothing to check, so it fetches as `always` does.
    await ensureMirror(input);
    expect(remoteFetches()).toBe(7);
  });

  it("with fetch: if-missing, eight lanes of a race on a new base fetch once between them, the others never queue for the lock", async () => {
    const base = await git(repo.bareDir, "rev-parse", "main");
    const input = { cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/`, fetch: "if-missing" as const };
    await ensureMirror({ ...input, wantShas: [base] });
    const next = await commitIn(repo.bareDir, base, "moves main", "refs/heads/main");
    const before = remoteFetches();
    const locksBefore = gitCalls.locks;
    const paths = await Promise.all(Array.from({ length: 8 }, () => ensureMirror({ ...input, wantShas: [next] })));
    expect(new Set(paths).size).toBe(1);
    expect(remoteFetches() - before).toBe(1);
    expect(gitCalls.locks - locksBefore).toBe(1);
    expect(gitCalls.maxActive).toBe(1);
    expect(await git(paths[0] ?? "", "cat-file", "-t", next)).toBe("commit");
  });

  it("with fetch: if-missing, a lane waiting for a sibling's failed fetch fetches itself, and a cancelled one stops waiting", async () => {
    const base = await git(repo.bareDir, "rev-parse", "main");
    const input = { cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, fetch: "if-missing" as const };
    await ensureMirror({ ...input, authHeader, authScope: `${github.url}/`, wantShas: [base] });
    const next = await commitIn(repo.bareDir, base, "moves main", "refs/heads/main");
    let open = (): void => undefined;
    gitCalls.gate = new Promise((resolve) => (open = resolve));
    const fetches = gitCalls.fetches;
    const unauthenticated = ensureMirror({ ...input, wantShas: [next] });
    const failed = expect(unauthenticated).rejects.toThrow(/git fetch failed/);
    await vi.waitFor(() => expect(gitCalls.fetches).toBe(fetches + 1)); // it holds the lock, fetching
    const lookups = gitCalls.lookups;
    const waiting = ensureMirror({ ...input, authHeader, authScope: `${github.url}/`, wantShas: [next] });
    const controller = new AbortController();
    const cancelled = ensureMirror({ ...input, authHeader, authScope: `${github.url}/`, wantShas: [next], signal: controller.signal });
    await vi.waitFor(() => expect(gitCalls.lookups).toBe(lookups + 2)); // both looked, found nothing and now wait
    controller.abort();
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
    expect(gitCalls.fetches).toBe(fetches + 1);
    gitCalls.gate = null;
    open();
    await failed;
    await expect(waiting).resolves.toBe(join(cacheDir, repo.owner, `${repo.name}.git`));
    expect(gitCalls.fetches).toBe(fetches + 2);
  });

  it("stores even a one-object fetch as a pack, never as loose objects a lock-free reader could see half-written", async () => {
    const base = await git(repo.bareDir, "rev-parse", "main");
    const input = { cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/` };
    const mirror = await ensureMirror(input);
    const next = await commitIn(repo.bareDir, base, "one new object", "refs/heads/main");
    await ensureMirror({ ...input, wantShas: [next] });
    expect(await git(mirror, "count-objects", "-v")).toMatch(/^count: 0$/m);
    expect(await git(mirror, "cat-file", "-t", next)).toBe("commit");
  });

  it("rejects unsafe owner/repo names and clone URLs with credentials", async () => {
    for (const [owner, name] of [["..", "x"], ["octo", "."], ["a/b", "x"], ["octo", ""], ["octo", "x y"]] as const) {
      await expect(ensureMirror({ cacheDir, owner, repo: name, cloneUrl: repo.cloneUrl })).rejects.toThrow(/invalid repository name/);
    }
    const withToken = repo.cloneUrl.replace("http://", `http://x-access-token:${token}@`);
    const attempt = ensureMirror({ cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: withToken });
    await expect(attempt).rejects.toThrow(/must not contain credentials/);
    await attempt.catch((error: Error) => expect(error.message).not.toContain(token));
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it("fails clearly without credentials and keeps no half-made state that breaks the next call", async () => {
    const input = { cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl };
    await expect(ensureMirror(input)).rejects.toThrow(/git fetch failed/);
    await expect(ensureMirror({ ...input, authHeader, authScope: `${github.url}/` })).resolves.toBe(join(cacheDir, repo.owner, `${repo.name}.git`));
  });
});
