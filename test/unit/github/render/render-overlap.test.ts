import { describe, expect, it } from "vitest";
import { renderOverlapCell, renderOverlapSection } from "../../../../src/github/render/render-overlap.js";
import type { ClassifiedOverlap } from "../../../../src/model/overlap.js";
import { classified } from "../../overlap/overlap-fixtures.js";

const many = Array.from({ length: 12 }, (_, i) => classified(1, 100 + i, i === 11 ? "conflict" : "clean", ["x.ts"]));

describe("renderOverlapSection and renderOverlapCell", () => {
  it.each<[string, ClassifiedOverlap[], string, string]>([
    ["nothing", [], "", "—"],
    ["the example", [classified(1, 15, "conflict", ["src/a.ts"]), classified(1, 12, "clean")], "Touches files also changed by #12 (clean), #15 (conflict: src/a.ts)", "#12 clean, #15 conflict"],
    ["other lanes are ignored", [classified(2, 12, "clean")], "", "—"],
    ["a PR counted once", [classified(1, 12, "clean"), classified(1, 12, "clean")], "Touches files also changed by #12 (clean)", "#12 clean"],
    ["long conflict lists are cut", [classified(1, 7, "conflict", ["a", "b", "c", "d", "e"])], "Touches files also changed by #7 (conflict: a, b, c +2 more)", "#7 conflict"],
    ["paths are inert Markdown", [classified(1, 7, "conflict", ["docs/<b>@team_x`.md"])], "Touches files also changed by #7 (conflict: docs/&lt;b&gt;@\u200dteam\\_x\\`.md)", "#7 conflict"],
    ["many PRs: conflicts are kept when cutting", many, `Touches files also changed by ${[100, 101, 102, 103, 104, 105, 106, 107, 108].map((n) => `#${n} (clean)`).join(", ")}, #111 (conflict: x.ts) and 2 more`, "#100 clean, #101 clean, #102 clean, #103 clean, #111 conflict +7 more"],
  ])("%s", (_name, overlaps, section, cell) => {
    expect(renderOverlapSection(overlaps, 1)).toBe(section);
    expect(renderOverlapCell(overlaps, 1)).toBe(cell);
  });
});
