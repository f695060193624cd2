import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { rebaseBranch } from "../../../src/git/rebase-branch.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
});

/** main gets `mainEdit`, a lane branch from the old main gets one commit per `laneEdits` entry; returns the new main sha. */
async function diverged(mainEdit: Record<string, string>, ...laneEdits: Array<Record<string, string>>): Promise<{ repo: TempRepo; newMain: string; lane: string }> {
  repo = await createTempRepo({ "a.txt": "one\ntwo\nthree\n", "b.txt": "b\n" });
  const r = repo;
  await r.git("checkout", "-q", "-b", "lane");
  for (const [i, edit] of laneEdits.entries()) {
    for (const [p, t] of Object.entries(edit)) await writeFile(join(r.dir, p), t);
    await r.git("-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "-qam", `lane work ${i + 1}\n\nbody ${i + 1}`);
  }
  const lane = (await r.git("rev-parse", "HEAD")).trim();
  await r.git("checkout", "-q", "main");
  for (const [p, t] of Object.entries(mainEdit)) await writeFile(join(r.dir, p), t);
  await r.git("commit", "-qam", "main moved");
  const newMain = (await r.git("rev-parse", "HEAD")).trim();
  return { repo: r, newMain, lane };
}

describe("rebaseBranch", () => {
  it("replays the commits on the new base in the repository, keeping authors and messages, touching no ref or checkout", async () => {
    const { repo: r, newMain, lane } = await diverged({ "b.txt": "b changed\n" }, { "a.txt": "one\n2\nthree\n" }, { "a.txt": "one\n2\n3\n" });
    const status = await r.git("status", "--porcelain");
    const outcome = await rebaseBranch(r.dir, { head: "lane", onto: newMain });
    expect(outcome.clean).toBe(true);
    if (!outcome.clean) return;
    expect(await r.git("rev-parse", `${outcome.head}~2`)).toBe(newMain);
    expect(await r.git("log", "--format=%an|%cn|%B", `${newMain}..${outcome.head}`)).toBe("Agent|agent-race|lane work 2\n\nbody 2\n\nAgent|agent-race|lane work 1\n\nbody 1\n");
    expect(await r.git("log", "-1", "--format=%ad", outcome.head)).toBe(await r.git("log", "-1", "--format=%ad", lane));
    expect(await r.git("show", `${outcome.head}:b.txt`)).toBe("b changed");
    expect(await r.git("show", `${outcome.head}:a.txt`)).toBe("one\n2\n3");
    expect(await r.git("rev-parse", "lane")).toBe(lane);
    expect(await r.git("rev-parse", "HEAD")).toBe(newMain);
    expect(await r.git("status", "--porcelain")).toBe(status);
  });

  it("keeps a branch that is already on the base, and drops a commit the base already has", async () => {
    const { repo: r, newMain } = await diverged({ "b.txt": "same\n" }, { "b.txt": "same\n" });
    expect(await rebaseBranch(r.dir, { head: newMain, onto: newMain })).toEqual({ clean: true, head: newMain });
    expect(await rebaseBranch(r.dir, { head: "lane", onto: newMain })).toEqual({ clean: true, head: newMain });
  });

  it("on a conflict names the paths and moves nothing", async () => {
    const { repo: r, lane } = await diverged({ "a.txt": "one\nTWO\nthree\n" }, { "a.txt": "one\n2\nthree\n" });
    expect(await rebaseBranch(r.dir, { head: "lane", onto: "main" })).toEqual({ clean: false, conflicts: ["a.txt"] });
    expect(await r.git("rev-parse", "lane")).toBe(lane);
    expect(await r.git("status", "--porcelain")).toBe("");
  });
});
