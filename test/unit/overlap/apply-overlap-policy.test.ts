import { describe, expect, it } from "vitest";
import { applyOverlapPolicy, type PolicyLane } from "../../../src/overlap/apply-overlap-policy.js";
import type { ClassifiedOverlap, OverlapPolicy } from "../../../src/model/overlap.js";
import { classified } from "./overlap-fixtures.js";

const lanes: PolicyLane[] = [
  { lane: 1, status: "passed", score: 1 },
  { lane: 2, status: "passed", score: 1 },
  { lane: 3, status: "failed", score: 0.5 },
];
const mixed = [classified(1, 15, "conflict", ["a"]), classified(1, 9, "conflict", ["a"]), classified(1, 12, "clean"), classified(2, 12, "clean"), classified(3, 15, "conflict", ["a"])];

describe("applyOverlapPolicy", () => {
  it.each<[string, OverlapPolicy, ClassifiedOverlap[], number[], Array<[number, number[]]>]>([
    ["warn changes nothing", "warn", mixed, [], []],
    ["penalize marks every lane with a conflict, whatever its status", "penalize", mixed, [1, 3], []],
    ["block stops passing lanes with conflicts, naming the PRs", "block", mixed, [], [[1, [9, 15]]]],
    ["clean overlaps never count", "block", [classified(1, 12, "clean"), classified(2, 13, "clean")], [], []],
    ["overlaps of unknown lanes are ignored", "penalize", [classified(9, 12, "conflict", ["a"])], [], []],
    ["no overlaps", "block", [], [], []],
  ])("%s", (_name, policy, overlaps, penalized, blocked) => {
    const result = applyOverlapPolicy(lanes, overlaps, policy);
    expect([...result.penalized]).toEqual(penalized);
    expect([...result.blocked]).toEqual(blocked);
  });
});
