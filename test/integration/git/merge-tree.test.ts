import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitError } from "../../../src/errors.js";
import { mergeTree } from "../../../src/git/merge-tree.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

const lines = (n: number, tag = ""): string => Array.from({ length: n }, (_, i) => `line ${i}${tag}`).join("\n") + "\n";

describe("mergeTree", () => {
  let repo: TempRepo;
  let base: string;
  beforeEach(async () => {
    repo = await createTempRepo({ "a.txt": lines(30), "b.txt": "b\n" });
    base = await repo.git("rev-parse", "HEAD");
  });
  afterEach(async () => {
    await repo.cleanup();
  });

  async function branch(name: string, change: () => Promise<void>): Promise<string> {
    await repo.git("checkout", "-q", "-b", name, base);
    await change();
    const sha = await repo.commitAll(name);
    await repo.git("checkout", "-q", "main");
    return sha;
  }

  it("is clean when both sides change different hunks of the same file", async () => {
    const text = lines(30).split("\n");
    const ours = await branch("ours", () => repo.write("a.txt", ["FIRST", ...text.slice(1)].join("\n")));
    const theirs = await branch("theirs", () => repo.write("a.txt", [...text.slice(0, 28), "LAST", ""].join("\n")));
    const statusBefore = await repo.git("status", "--porcelain");
    expect(await mergeTree(repo.dir, ours, theirs)).toEqual({ clean: true, conflicts: [] });
    expect(await mergeTree(repo.dir, "ours", "theirs")).toEqual({ clean: true, conflicts: [] });
    expect(await repo.git("status", "--porcelain")).toBe(statusBefore);
  });

  it("reports conflicting paths once each", async () => {
    const ours = await branch("ours", async () => {
      await repo.write("a.txt", lines(30, " ours"));
      await repo.write("b.txt", "ours\n");
    });
    const theirs = await branch("theirs", async () => {
      await repo.write("a.txt", lines(30, " theirs"));
      await repo.write("b.txt", "theirs\n");
    });
    expect(await mergeTree(repo.dir, ours, theirs)).toEqual({ clean: false, conflicts: ["a.txt", "b.txt"] });
  });

  it("follows a rename on one side and a modification on the other", async () => {
    const ours = await branch("ours", () => repo.git("mv", "a.txt", "renamed.txt").then(() => undefined));
    const theirs = await branch("theirs", () => repo.write("a.txt", lines(30).replace("line 5", "LINE FIVE")));
    expect(await mergeTree(repo.dir, ours, theirs)).toEqual({ clean: true, conflicts: [] });
  });

  it("reports delete vs modify as a conflict", async () => {
    const ours = await branch("ours", () => repo.git("rm", "-q", "b.txt").then(() => undefined));
    const theirs = await branch("theirs", () => repo.write("b.txt", "modified\n"));
    expect(await mergeTree(repo.dir, ours, theirs)).toEqual({ clean: false, conflicts: ["b.txt"] });
  });

  it("throws on unknown or hostile refs", async () => {
    await expect(mergeTree(repo.dir, "main", "nope")).rejects.toBeInstanceOf(GitError);
    await expect(mergeTree(repo.dir, "main", "--output=x")).rejects.toBeInstanceOf(GitError);
  });
});
