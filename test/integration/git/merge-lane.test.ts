import { existsSync } from "node:fs";
import { chmod, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { mergeLane } from "../../../src/git/merge-lane.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

describe("mergeLane", () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await createTempRepo({ "a.txt": "a\n", "b.txt": "b\n" });
  });
  afterEach(async () => {
    await repo.cleanup();
  });

  async function lane(name: string, files: Record<string, string>): Promise<string> {
    await repo.git("checkout", "-q", "-b", name);
    for (const [path, content] of Object.entries(files)) await repo.write(path, content);
    const sha = await repo.commitAll(`work on ${name}`);
    await repo.git("checkout", "-q", "main");
    return sha;
  }

  /** HEAD, the raw index, every file's content and git's view of the state. */
  async function snapshot(): Promise<unknown> {
    const files: Record<string, string> = {};
    for (const name of await readdir(repo.dir)) if (name !== ".git") files[name] = await readFile(join(repo.dir, name), "utf8");
    return {
      head: await repo.git("rev-parse", "HEAD"),
      branch: await repo.git("symbolic-ref", "HEAD"),
      index: (await readFile(join(repo.dir, ".git", "index"))).toString("base64"),
      files,
      status: await repo.git("status", "--porcelain", "--untracked-files=all"),
      merging: existsSync(join(repo.dir, ".git", "MERGE_HEAD")),
    };
  }

  it("creates a --no-ff merge commit with two parents and the message, hooks off", async () => {
    const laneSha = await lane("agent-race/t-1/1-codex", { "c.txt": "c\n" });
    await repo.write("a.txt", "main moved\n");
    const mainSha = await repo.commitAll("main moves on");
    const hook = join(repo.dir, ".git", "hooks", "pre-merge-commit");
    await writeFile(hook, "#!/bin/sh\nexit 1\n");
    await chmod(hook, 0o755);

    const sha = await mergeLane({ checkoutDir: repo.dir, branch: "agent-race/t-1/1-codex", message: "Merge lane 1 (codex)" });
    expect(sha).toBe(await repo.git("rev-parse", "HEAD"));
    expect(await repo.git("rev-list", "--parents", "-n", "1", "HEAD")).toBe(`${sha} ${mainSha} ${laneSha}`);
    expect((await repo.git("log", "-1", "--format=%B")).trimEnd()).toBe("Merge lane 1 (codex)");
    expect(await readFile(join(repo.dir, "c.txt"), "utf8")).toBe("c\n");
    expect(await repo.git("status", "--porcelain")).toBe("");
  });

  it("makes a merge commit even when a fast-forward was possible", async () => {
    const laneSha = await lane("lane", { "c.txt": "c\n" });
    const before = await repo.git("rev-parse", "HEAD");
    const sha = await mergeLane({ checkoutDir: repo.dir, branch: "lane", message: "merge" });
    expect(await repo.git("rev-list", "--parents", "-n", "1", "HEAD")).toBe(`${sha} ${before} ${laneSha}`);
  });

  it("refuses a conflicting merge, leaving HEAD, index and working tree exactly as before", async () => {
    await lane("lane", { "a.txt": "lane\n", "b.txt": "lane b\n" });
    await repo.write("a.txt", "main\n");
    await repo.write("b.txt", "main b\n");
    await repo.commitAll("main edits a and b");
    await repo.write("untracked.txt", "mine\n");
    const before = await snapshot();
    const attempt = mergeLane({ checkoutDir: repo.dir, branch: "lane", message: "merge" });
    await expect(attempt).rejects.toThrow(new UserError('cannot merge "lane": it conflicts in a.txt, b.txt'));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a dirty checkout, listing the files, and leaves it untouched", async () => {
    await lane("lane", { "c.txt": "c\n" });
    await repo.write("a.txt", "uncommitted\n");
    await repo.write("b.txt", "staged\n");
    await repo.git("add", "b.txt");
    const before = await snapshot();
    const error: unknown = await mergeLane({ checkoutDir: repo.dir, branch: "lane", message: "merge" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/uncommitted changes to tracked files: (a\.txt, b\.txt|b\.txt, a\.txt)$/);
    expect(await snapshot()).toEqual(before);
  });

  it("aborts cleanly when git itself refuses (untracked file in the way)", async () => {
    await lane("lane", { "c.txt": "from lane\n" });
    await repo.write("c.txt", "my untracked c\n");
    const before = await snapshot();
    await expect(mergeLane({ checkoutDir: repo.dir, branch: "lane", message: "merge" })).rejects.toThrow(/merging "lane" failed/);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses unknown branches", async () => {
    await expect(mergeLane({ checkoutDir: repo.dir, branch: "nope", message: "merge" })).rejects.toThrow(new UserError('branch "nope" not found'));
  });
});
