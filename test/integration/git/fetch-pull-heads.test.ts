import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GitError } from "../../../src/errors.js";
import { basicAuthHeader } from "../../../src/git/auth-header.js";
import { fetchPullHeads } from "../../../src/git/fetch-pull-heads.js";
import { ensureMirror } from "../../../src/git/mirror-cache.js";
import { createFakeGitHub, type FakeGitHub } from "../../helpers/fake-github/index.js";

async function git(dir: string, ...args: string[]): Promise<string> {
  return (await execa("git", args, { cwd: dir })).stdout;
}

/** Points `refs/pull/<n>/head` of a bare repo at a new commit on top of main; returns its sha. */
async function addPullHead(bareDir: string, n: number): Promise<string> {
  const base = await git(bareDir, "rev-parse", "main");
  const sha = await git(bareDir, "commit-tree", `${base}^{tree}`, "-p", base, "-m", `pull ${n}`);
  await git(bareDir, "update-ref", `refs/pull/${n}/head`, sha);
  return sha;
}

describe("fetchPullHeads", () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "agent-race-pulls-"));
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  describe("over HTTP from the fake GitHub", () => {
    let github: FakeGitHub;
    beforeAll(async () => {
      github = await createFakeGitHub();
    });
    afterAll(async () => {
      await github.close();
    });

    it("fetches the pull heads that exist into refs/pull/<n>/head and skips the others", async () => {
      const repo = await github.addRepo({ owner: "octo", name: "pulls" });
      const authHeader = basicAuthHeader(github.createInstallationToken());
      const one = await addPullHead(repo.bareDir, 1);
      const twelve = await addPullHead(repo.bareDir, 12);
      await addPullHead(repo.bareDir, 3);
      const mirror = await ensureMirror({ cacheDir, owner: repo.owner, repo: repo.name, cloneUrl: repo.cloneUrl, authHeader, authScope: `${github.url}/` });
      const heads = await fetchPullHeads(mirror, [1, 12, 2, 1], authHeader, { authScope: `${github.url}/` });
      expect(heads).toEqual(new Map([[1, one], [12, twelve]]));
      expect(await git(mirror, "for-each-ref", "--format=%(refname) %(objectname)", "refs/pull")).toBe(
        `refs/pull/1/head ${one}\nrefs/pull/12/head ${twelve}`,
      );
      // A later fetch moves a force-pushed head, and a failure without credentials is a GitError.
      const moved = await addPullHead(repo.bareDir, 1);
      expect(await fetchPullHeads(mirror, [1], authHeader, { authScope: `${github.url}/` })).toEqual(new Map([[1, moved]]));
      await expect(fetchPullHeads(mirror, [1])).rejects.toBeInstanceOf(GitError);
    });
  });

  describe("from a local bare repo over file://", () => {
    let origin: string;
    beforeEach(async () => {
      origin = join(cacheDir, "origin.git");
      await execa("git", ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
      const base = await git(origin, "commit-tree", "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "-m", "root");
      await git(origin, "update-ref", "refs/heads/main", base);
    });

    it("returns an empty map for no numbers or none that exist, and rejects bad numbers", async () => {
      const seven = await addPullHead(origin, 7);
      // protocol.file.allow=always comes from the test git config (test/helpers/setup.ts).
      const mirror = await ensureMirror({ cacheDir: join(cacheDir, "m"), owner: "local", repo: "origin", cloneUrl: pathToFileURL(origin).href });
      expect(await fetchPullHeads(mirror, [])).toEqual(new Map());
      expect(await fetchPullHeads(mirror, [5, 6])).toEqual(new Map());
      expect(await fetchPullHeads(mirror, [7])).toEqual(new Map([[7, seven]]));
      await expect(fetchPullHeads(mirror, [0])).rejects.toThrow(/invalid pull request number/);
      await expect(fetchPullHeads(mirror, [1.5])).rejects.toThrow(/invalid pull request number/);
      // The next mirror fetch (with pruning) leaves the pull refs alone.
      await ensureMirror({ cacheDir: join(cacheDir, "m"), owner: "local", repo: "origin", cloneUrl: pathToFileURL(origin).href });
      expect(await git(mirror, "rev-parse", "refs/pull/7/head")).toBe(seven);
    });
  });
});
