import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { rebaseBranch } from "../../../src/git/rebase-branch.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
});

/** main gets `mainEdit`, a lane branch from the old main gets `laneEdit`; returns the new main sha. */
async function diverged(mainEdit: Record<string, string>, laneEdit: Record<string, string>): Promise<{ repo: TempRepo; newMain: string; laneAuthor: string }> {
  repo = await createTempRepo({ "a.txt": "one\ntwo\nthree\n", "b.txt": "b\n" });
  const r = repo;
  await r.git("checkout", "-q", "-b", "lane");
  for (const [p, t] of Object.entries(laneEdit)) await writeFile(join(r.dir, p), t);
  await r.git("-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "-qam", "lane work");
  await r.git("checkout", "-q", "main");
  for (const [p, t] of Object.entries(mainEdit)) await writeFile(join(r.dir, p), t);
  await r.git("commit", "-qam", "main moved");
  const newMain = (await r.git("rev-parse", "HEAD")).trim();
  await r.git("checkout", "-q", "lane");
  return { repo: r, newMain, laneAuthor: "Agent" };
}

describe("rebaseBranch", () => {
  it("replays the branch on the new base, keeping the author", async () => {
    const { repo: r, newMain } = await diverged({ "b.txt": "b changed\n" }, { "a.txt": "one\n2\nthree\n" });
    const outcome = await rebaseBranch(r.dir, newMain);
    expect(outcome.clean).toBe(true);
    if (!outcome.clean) return;
    expect((await r.git("rev-parse", "HEAD~1")).trim()).toBe(newMain);
    expect((await r.git("rev-parse", "HEAD")).trim()).toBe(outcome.head);
    expect((await r.git("log", "-1", "--format=%an|%cn")).trim()).toBe("Agent|agent-race");
    expect((await r.git("show", "HEAD:b.txt")).trim()).toBe("b changed");
  });

  it("on a conflict aborts, leaves the branch where it was and names the paths", async () => {
    const { repo: r } = await diverged({ "a.txt": "one\nTWO\nthree\n" }, { "a.txt": "one\n2\nthree\n" });
    const before = (await r.git("rev-parse", "HEAD")).trim();
    expect(await rebaseBranch(r.dir, "main")).toEqual({ clean: false, conflicts: ["a.txt"] });
    expect((await r.git("rev-parse", "HEAD")).trim()).toBe(before);
    expect((await r.git("status", "--porcelain")).trim()).toBe("");
  });
});
