import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchPullHeads } from "../../../src/git/fetch-pull-heads.js";
import { ensureMirror } from "../../../src/git/mirror-cache.js";
import { classifyOverlaps } from "../../../src/overlap/classify-overlap.js";
import { findOverlaps } from "../../../src/overlap/find-overlaps.js";
import { mergeOverlap } from "../../../src/overlap/merge-overlap.js";
import type { OpenPr } from "../../../src/model/overlap.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

const lines = (name: string, change: Record<number, string> = {}): string =>
  Array.from({ length: 10 }, (_, i) => change[i + 1] ?? `${name} line ${i + 1}`).join("\n") + "\n";

let origin: TempRepo;
let cacheDir: string;
let mirror: string;
let laneHead: string;
const prs: OpenPr[] = [];

/** A branch off main with `edit` applied, published as pull request `number` (refs/pull/<n>/head). */
async function pullRequest(number: number, edit: () => Promise<void>): Promise<void> {
  await origin.git("checkout", "-q", "-b", `pr-${number}`, "main");
  await edit();
  const head = await origin.commitAll(`pr ${number}`);
  await origin.git("update-ref", `refs/pull/${number}/head`, head);
  const files = (await origin.git("diff", "--name-only", "--no-renames", `main...${head}`)).split("\n").filter(Boolean);
  prs.push({ number, headRefName: `pr-${number}`, headSha: head, files });
}

beforeAll(async () => {
  origin = await createTempRepo({ "src/a.ts": lines("a"), "src/b.ts": lines("b"), "src/c.ts": lines("c"), "src/d.ts": lines("d") });
  await origin.git("checkout", "-q", "-b", "lane");
  await origin.write("src/a.ts", lines("a", { 1: "lane" }));
  await origin.write("src/b.ts", lines("b", { 1: "lane" }));
  await origin.write("src/c.ts", lines("c", { 2: "lane" }));
  await origin.write("src/d.ts", lines("d", { 5: "lane" }));
  laneHead = await origin.commitAll("lane");

  await pullRequest(12, () => origin.write("src/a.ts", lines("a", { 10: "pr" }))); // same file, other hunk
  await pullRequest(15, () => origin.write("src/b.ts", lines("b", { 1: "pr" }))); // same line
  await pullRequest(16, async () => { // renamed, edited far from the lane's change
    await origin.git("mv", "src/c.ts", "src/c2.ts");
    await origin.write("src/c2.ts", lines("c", { 9: "pr" }));
  });
  await pullRequest(17, () => origin.git("rm", "-q", "src/d.ts").then(() => undefined)); // deleted
  await pullRequest(19, async () => { // renamed, and the lane's line edited too
    await origin.git("mv", "src/c.ts", "src/c3.ts");
    await origin.write("src/c3.ts", lines("c", { 2: "pr" }));
  });
  await pullRequest(18, () => origin.write("src/a.ts", lines("a", { 9: "gone" })));
  await origin.git("checkout", "-q", "main");
  await origin.git("update-ref", "-d", "refs/pull/18/head"); // closed and gone before the fetch
  await origin.git("branch", "-q", "-D", "pr-18");

  cacheDir = await mkdtemp(join(tmpdir(), "agent-race-overlap-"));
  mirror = await ensureMirror({ cacheDir, owner: "octo", repo: "widgets", cloneUrl: origin.dir, wantShas: [laneHead] });
});

afterAll(async () => {
  await origin.cleanup();
  await rm(cacheDir, { recursive: true, force: true });
});

describe("classifyOverlaps on a bare mirror", () => {
  it("tells clean overlaps from conflicts, through renames and deletions, and drops vanished PRs", async () => {
    const heads = await fetchPullHeads(mirror, prs.map((pr) => pr.number));
    expect([...heads.keys()].sort((a, b) => a - b)).toEqual([12, 15, 16, 17, 19]);
    const laneFiles = ["src/a.ts", "src/b.ts", "src/c.ts", "src/d.ts"];
    const overlaps = findOverlaps({ lanes: [{ lane: 1, head: laneHead, files: laneFiles }], prs });
    const classified = await classifyOverlaps(mirror, overlaps);
    expect(classified.map((o) => [o.pr.number, o.files, o.kind, o.conflicts])).toEqual([
      [12, ["src/a.ts"], "clean", []],
      [15, ["src/b.ts"], "conflict", ["src/b.ts"]],
      [16, ["src/c.ts"], "clean", []],
      [17, ["src/d.ts"], "conflict", ["src/d.ts"]],
      [19, ["src/c.ts"], "conflict", ["src/c3.ts"]],
    ]);
  });

  it("gives no verdict when a head is not in the repository", async () => {
    expect(await mergeOverlap(mirror, laneHead, "0".repeat(40), ["src/a.ts"])).toBeNull();
  });
});
