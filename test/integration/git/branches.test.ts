import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitError } from "../../../src/errors.js";
import { deleteBranches } from "../../../src/git/delete-branches.js";
import { listBranches } from "../../../src/git/list-branches.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

describe("listBranches / deleteBranches", () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await createTempRepo();
    for (const name of ["agent-race/fix-r1/1-codex", "agent-race/fix-r1/2-claude", "agent-race/fix-r10/1-codex", "agent-race-other", "feature"]) {
      await repo.git("branch", name);
    }
  });
  afterEach(async () => {
    await repo.cleanup();
  });

  it("lists branches under a prefix, matched on path boundaries", async () => {
    expect(await listBranches(repo.dir, "agent-race/fix-r1")).toEqual(["agent-race/fix-r1/1-codex", "agent-race/fix-r1/2-claude"]);
    expect(await listBranches(repo.dir, "agent-race/fix-r1/")).toEqual(["agent-race/fix-r1/1-codex", "agent-race/fix-r1/2-claude"]);
    expect(await listBranches(repo.dir, "agent-race")).toEqual(["agent-race/fix-r1/1-codex", "agent-race/fix-r1/2-claude", "agent-race/fix-r10/1-codex"]);
    expect(await listBranches(repo.dir, "nothing-here")).toEqual([]);
    expect(await listBranches(repo.dir, "")).toContain("main");
  });

  it("deletes existing branches, skipping missing ones, and returns what it deleted", async () => {
    await repo.git("pack-refs", "--all");
    const deleted = await deleteBranches(repo.dir, ["agent-race/fix-r1/1-codex", "missing", "agent-race/fix-r1/2-claude", "missing", "--all"]);
    expect(deleted).toEqual(["agent-race/fix-r1/1-codex", "agent-race/fix-r1/2-claude"]);
    expect(await listBranches(repo.dir, "agent-race/fix-r1")).toEqual([]);
    expect(await deleteBranches(repo.dir, ["agent-race/fix-r1/1-codex"])).toEqual([]);
    expect(await listBranches(repo.dir, "")).toEqual(["agent-race-other", "agent-race/fix-r10/1-codex", "feature", "main"]);
  });

  it("throws when git refuses, e.g. the branch is checked out in a worktree", async () => {
    const root = await mkdtemp(join(tmpdir(), "agent-race-wt-"));
    try {
      await repo.git("worktree", "add", "-q", join(root, "wt"), "feature");
      await expect(deleteBranches(repo.dir, ["feature"])).rejects.toBeInstanceOf(GitError);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
