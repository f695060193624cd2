import { existsSync } from "node:fs";
import { chmod, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitAll } from "../../../src/git/commit-all.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

const identity = { authorName: "agent-race (codex)", authorEmail: "codex@agent-race.invalid" };

describe("commitAll", () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await createTempRepo({ "README.md": "# test\n", ".gitignore": "ignored/\n", "old.txt": "old\n" });
  });
  afterEach(async () => {
    await repo.cleanup();
  });

  it("stages everything (new, modified, deleted; not ignored) and commits with the given identity, hooks off", async () => {
    const base = await repo.git("rev-parse", "HEAD");
    await repo.write("README.md", "# changed\n");
    await repo.write("src/new.ts", "export {};\n");
    await repo.write("ignored/junk.txt", "junk\n");
    await rm(join(repo.dir, "old.txt"));
    const hook = join(repo.dir, ".git", "hooks", "pre-commit");
    await writeFile(hook, `#!/bin/sh\ntouch "${join(repo.dir, "hook-ran")}"\nexit 1\n`);
    await chmod(hook, 0o755);

    const sha = await commitAll({ dir: repo.dir, message: "lane 1: codex\n\nbody", ...identity });
    expect(sha).toBe(await repo.git("rev-parse", "HEAD"));
    expect(await repo.git("rev-parse", "HEAD~1")).toBe(base);
    expect((await repo.git("log", "-1", "--format=%an <%ae>|%cn <%ce>|%B")).trimEnd()).toBe(
      "agent-race (codex) <codex@agent-race.invalid>|agent-race (codex) <codex@agent-race.invalid>|lane 1: codex\n\nbody",
    );
    expect((await repo.git("show", "--name-status", "--format=", "HEAD")).split("\n").sort()).toEqual(["A\tsrc/new.ts", "D\told.txt", "M\tREADME.md"]);
    expect(existsSync(join(repo.dir, "hook-ran"))).toBe(false);
    expect(await repo.git("status", "--porcelain")).toBe("");
  });

  it("returns HEAD without a new commit when nothing changed, including the agent's own commit", async () => {
    const base = await repo.git("rev-parse", "HEAD");
    expect(await commitAll({ dir: repo.dir, message: "nothing", ...identity })).toBe(base);
    await repo.write("a.txt", "a\n");
    const agentCommit = await repo.commitAll("agent did it");
    expect(await commitAll({ dir: repo.dir, message: "nothing", ...identity })).toBe(agentCommit);
    expect(await repo.git("rev-list", "--count", "HEAD")).toBe("2");
  });
});
