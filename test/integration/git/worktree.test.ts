import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { addWorktree, pruneWorktrees, removeWorktree } from "../../../src/git/worktree.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

describe("worktree", () => {
  let repo: TempRepo;
  let root: string;
  let base: string;
  beforeEach(async () => {
    repo = await createTempRepo({ "README.md": "# test\n", "src/a.ts": "export const a = 1;\n" });
    root = await mkdtemp(join(tmpdir(), "agent-race-wts-"));
    base = await repo.git("rev-parse", "HEAD");
  });
  afterEach(async () => {
    await repo.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  async function snapshot(): Promise<string[]> {
    return [
      await repo.git("rev-parse", "HEAD"),
      await repo.git("symbolic-ref", "HEAD"),
      (await readFile(join(repo.dir, ".git", "index"))).toString("base64"),
      await readFile(join(repo.dir, "README.md"), "utf8"),
      await repo.git("status", "--porcelain"),
    ];
  }

  it("adds a worktree on a new branch at the base sha without touching the main checkout", async () => {
    await repo.write("src/a.ts", "local edit\n");
    await repo.git("commit", "-q", "--allow-empty", "-m", "moves main ahead");
    const before = await snapshot();
    // A hook that would leave a marker if it ran.
    await writeFile(join(repo.dir, ".git", "hooks", "post-checkout"), `#!/bin/sh\ntouch "${join(root, "hook-ran")}"\n`);
    await chmod(join(repo.dir, ".git", "hooks", "post-checkout"), 0o755);
    const path = join(root, "lane-1");
    await addWorktree({ repoDir: repo.dir, path, branch: "agent-race/t-1/1-codex", baseSha: base });
    expect(await repo.git("-C", path, "rev-parse", "HEAD")).toBe(base);
    expect(await repo.git("-C", path, "symbolic-ref", "--short", "HEAD")).toBe("agent-race/t-1/1-codex");
    expect(await readFile(join(path, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(existsSync(join(root, "hook-ran"))).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it("fails clearly when the branch already exists, leaving it alone", async () => {
    await repo.git("branch", "agent-race/t-1/1-codex");
    const attempt = addWorktree({ repoDir: repo.dir, path: join(root, "x"), branch: "agent-race/t-1/1-codex", baseSha: base });
    await expect(attempt).rejects.toThrow(new UserError('branch "agent-race/t-1/1-codex" already exists'));
    expect(existsSync(join(root, "x"))).toBe(false);
    await expect(addWorktree({ repoDir: repo.dir, path: join(root, "y"), branch: "--upload-pack=x", baseSha: base })).rejects.toBeInstanceOf(UserError);
  });

  it("does not leave the branch behind when the worktree cannot be created", async () => {
    const path = join(root, "occupied");
    await mkdir(path);
    await writeFile(join(path, "file"), "x");
    await expect(addWorktree({ repoDir: repo.dir, path, branch: "lane-b", baseSha: base })).rejects.toThrow();
    expect(await repo.git("branch", "--list", "lane-b")).toBe("");
  });

  it("adds 8 worktrees concurrently", async () => {
    const lanes = Array.from({ length: 8 }, (_, i) => ({ path: join(root, `lane-${i}`), branch: `agent-race/t-1/${i}-agent` }));
    await Promise.all(lanes.map((lane) => addWorktree({ repoDir: repo.dir, baseSha: base, ...lane })));
    const list = await repo.git("worktree", "list", "--porcelain");
    for (const lane of lanes) {
      expect(list).toContain(`branch refs/heads/${lane.branch}`);
      expect(existsSync(join(lane.path, "README.md"))).toBe(true);
    }
    await Promise.all(lanes.map((lane) => removeWorktree(repo.dir, lane.path)));
    expect((await repo.git("worktree", "list", "--porcelain")).match(/^worktree /gm)).toHaveLength(1);
  });

  it("removes dirty, locked or already deleted worktrees without throwing", async () => {
    const dirty = join(root, "dirty");
    await addWorktree({ repoDir: repo.dir, path: dirty, branch: "lane-dirty", baseSha: base });
    await writeFile(join(dirty, "new.txt"), "untracked");
    await writeFile(join(dirty, "README.md"), "modified");
    await removeWorktree(repo.dir, dirty);
    expect(existsSync(dirty)).toBe(false);

    const locked = join(root, "locked");
    await addWorktree({ repoDir: repo.dir, path: locked, branch: "lane-locked", baseSha: base });
    await repo.git("worktree", "lock", locked);
    await removeWorktree(repo.dir, locked);
    expect(existsSync(locked)).toBe(false);

    const gone = join(root, "gone");
    await addWorktree({ repoDir: repo.dir, path: gone, branch: "lane-gone", baseSha: base });
    await rm(gone, { recursive: true, force: true });
    await removeWorktree(repo.dir, gone);
    await removeWorktree(repo.dir, gone);
    await pruneWorktrees(repo.dir);
    expect((await repo.git("worktree", "list", "--porcelain")).match(/^worktree /gm)).toHaveLength(1);
    // The branches can now be deleted (no worktree still claims them).
    await repo.git("branch", "-D", "lane-dirty", "lane-locked", "lane-gone");
  });

  it("refuses to remove the main checkout or a directory containing it", async () => {
    await expect(removeWorktree(repo.dir, repo.dir)).rejects.toBeInstanceOf(UserError);
    await expect(removeWorktree(repo.dir, join(repo.dir, ".."))).rejects.toBeInstanceOf(UserError);
    expect(existsSync(join(repo.dir, "README.md"))).toBe(true);
  });
});
