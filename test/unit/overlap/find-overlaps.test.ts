import { describe, expect, it } from "vitest";
import { findOverlaps, type FindOverlapsInput } from "../../../src/overlap/find-overlaps.js";
import { pr, sha } from "./overlap-fixtures.js";

const lanes = [
  { lane: 2, head: sha("2"), files: ["src/a.ts", "src/b.ts"] },
  { lane: 1, head: sha("1"), files: ["src/a.ts", "README.md"] },
];

describe("findOverlaps", () => {
  it.each<[string, Partial<FindOverlapsInput>, Array<[number, number, string[]]>]>([
    ["shared paths per lane and PR, by lane then number", { prs: [pr(15, ["src/b.ts", "src/a.ts"]), pr(12, ["src/a.ts"])] }, [[1, 12, ["src/a.ts"]], [1, 15, ["src/a.ts"]], [2, 12, ["src/a.ts"]], [2, 15, ["src/a.ts", "src/b.ts"]]]],
    ["no shared path, no overlap", { prs: [pr(3, ["docs/x.md"])] }, []],
    ["paths match exactly (no prefixes, case-sensitive)", { prs: [pr(3, ["src/a.tsx", "SRC/A.TS", "src"])] }, []],
    ["duplicate paths count once", { prs: [pr(3, ["README.md", "README.md"])] }, [[1, 3, ["README.md"]]]],
    ["the race's own PRs by number", { prs: [pr(3, ["README.md"]), pr(4, ["README.md"])], ownNumbers: [3] }, [[1, 4, ["README.md"]]]],
    ["the race's own lane branches", { raceId: "k3x9", prs: [pr(3, ["README.md"], "agent-race/fix-it-k3x9/1-claude"), pr(4, ["README.md"], "agent-race/fix-it-k3x99/1-claude")] }, [[1, 4, ["README.md"]]]],
    ["a branch merely named like the race is kept", { raceId: "k3x9", prs: [pr(5, ["README.md"], "agent-race/fix-it-k3x9"), pr(6, ["README.md"], "other/fix-it-k3x9/1")] }, [[1, 5, ["README.md"]], [1, 6, ["README.md"]]]],
    ["a lane without files overlaps nothing", { lanes: [{ lane: 1, head: sha("1"), files: [] }], prs: [pr(3, ["README.md"])] }, []],
  ])("%s", (_name, input, expected) => {
    const overlaps = findOverlaps({ lanes, prs: [], ...input });
    expect(overlaps.map((o) => [o.lane, o.pr.number, o.files])).toEqual(expected);
  });

  it("carries the lane head and the PR's head for the merge", () => {
    const [overlap] = findOverlaps({ lanes, prs: [pr(12, ["src/b.ts"])] });
    expect(overlap).toEqual({ lane: 2, laneHead: sha("2"), pr: { number: 12, headRefName: "feature/12", headSha: sha("2") }, files: ["src/b.ts"] });
  });
});
