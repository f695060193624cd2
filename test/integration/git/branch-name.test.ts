import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isSafeBranchName, laneBranchName, raceBranchPrefix } from "../../../src/git/branch-name.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";
import { HOSTILE_TEXTS } from "../../unit/git/hostile-texts.js";

async function gitAccepts(cwd: string, name: string): Promise<boolean> {
  const result = await execa("git", ["check-ref-format", "--branch", name], { cwd, reject: false });
  return result.exitCode === 0;
}

describe("branch names against git check-ref-format", () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await createTempRepo();
  });
  afterEach(async () => {
    await repo.cleanup();
  });

  it("git accepts every generated name, and can create the branch", async () => {
    const names = new Set<string>();
    for (const text of HOSTILE_TEXTS) {
      names.add(laneBranchName({ slug: text, raceId: text, lane: text, agent: text }));
      names.add(laneBranchName({ slug: text, raceId: "r1", lane: 2, agent: "codex" }));
      names.add(raceBranchPrefix(text, "r1"));
    }
    for (const name of names) expect.soft(await gitAccepts(repo.dir, name), name).toBe(true);
    const sample = laneBranchName({ slug: "$(curl x|sh)", raceId: "--upload-pack=x", lane: 1, agent: "a.lock" });
    await repo.git("branch", sample);
    expect(await repo.git("branch", "--list", sample)).toContain(sample);
  });

  it("every name isSafeBranchName accepts, git accepts too", async () => {
    const candidates = [...HOSTILE_TEXTS, "a.lock", "a/.b", "a/b.", "a..b", "-x", "x/-y", "a//b", "a@{b", "ok/name", "v1.2_x"];
    for (const name of candidates) {
      if (isSafeBranchName(name)) expect.soft(await gitAccepts(repo.dir, name), name).toBe(true);
    }
  });
});
