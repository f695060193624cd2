import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { currentBranch, isDirty, resolveCommit, resolveRepo } from "../../../src/git/repo-info.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

describe("repo-info", () => {
  let repo: TempRepo;
  const extra: string[] = [];
  beforeEach(async () => {
    repo = await createTempRepo({ "README.md": "# test\n", "src/a.ts": "export const a = 1;\n" });
  });
  afterEach(async () => {
    await repo.cleanup();
    for (const dir of extra.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it("resolves the top level and common dir, from a subdirectory and from a linked worktree", async () => {
    const top = await realpath(repo.dir);
    expect(await resolveRepo(join(repo.dir, "src"))).toEqual({ topLevel: top, commonDir: join(top, ".git"), isBare: false });
    const wt = join(await mkdtemp(join(tmpdir(), "agent-race-wt-")), "lane");
    extra.push(join(wt, ".."));
    await repo.git("worktree", "add", "-q", "-b", "lane", wt);
    expect(await resolveRepo(wt)).toEqual({ topLevel: await realpath(wt), commonDir: join(top, ".git"), isBare: false });
  });

  it("handles bare repositories and the .git directory", async () => {
    const bare = join(await mkdtemp(join(tmpdir(), "agent-race-bare-")), "b.git");
    extra.push(join(bare, ".."));
    await repo.git("clone", "-q", "--bare", repo.dir, bare);
    expect(await resolveRepo(bare)).toEqual({ topLevel: null, commonDir: await realpath(bare), isBare: true });
    expect((await resolveRepo(join(repo.dir, ".git"))).topLevel).toBeNull();
  });

  it("throws UserError outside a repository", async () => {
    const outside = await mkdtemp(join(tmpdir(), "agent-race-norepo-"));
    extra.push(outside);
    await expect(resolveRepo(outside)).rejects.toThrow(new UserError(`not a git repository: ${outside}`));
    await expect(resolveRepo(join(outside, "missing"))).rejects.toBeInstanceOf(UserError);
  });

  it("resolves commits and rejects bad or hostile refs", async () => {
    const head = await repo.git("rev-parse", "HEAD");
    expect(await resolveCommit(repo.dir, "main")).toBe(head);
    expect(await resolveCommit(repo.dir, "HEAD")).toBe(head);
    expect(await resolveCommit(repo.dir, head.slice(0, 8))).toBe(head);
    await repo.git("tag", "-a", "v1", "-m", "v1");
    expect(await resolveCommit(repo.dir, "v1")).toBe(head);
    const tree = await repo.git("rev-parse", "HEAD^{tree}");
    for (const ref of ["nope", "", "--all", "--output=x", tree, "HEAD~5"]) {
      await expect(resolveCommit(repo.dir, ref)).rejects.toThrow(new UserError(`base ref "${ref}" not found`));
    }
  });

  it("reports the current branch, or null when detached", async () => {
    expect(await currentBranch(repo.dir)).toBe("main");
    await repo.git("checkout", "-q", "-b", "feature/x");
    expect(await currentBranch(repo.dir)).toBe("feature/x");
    await repo.git("checkout", "-q", "--detach");
    expect(await currentBranch(repo.dir)).toBeNull();
  });

  it("lists changed tracked paths, ignoring untracked files", async () => {
    expect(await isDirty(repo.dir)).toEqual([]);
    await repo.write("untracked.txt", "x");
    expect(await isDirty(repo.dir)).toEqual([]);
    await repo.write("README.md", "changed\n");
    await repo.write("src/a.ts", "staged\n");
    await repo.git("add", "src/a.ts");
    await repo.write("with space é.txt", "new\n");
    await repo.git("add", "with space é.txt");
    expect((await isDirty(repo.dir)).sort()).toEqual(["README.md", "src/a.ts", "with space é.txt"]);
  });
});
