import { describe, expect, it } from "vitest";
import { rankLanes, compareLanes } from "../../../src/pipeline/rank-lanes.js";
import type { LaneResult } from "../../../src/model/race-report.js";
import { withOverlapPenalty } from "../../../src/overlap/with-overlap-penalty.js";

function lane(lane: number, fields: Partial<LaneResult> = {}): LaneResult {
  return {
    lane, rank: 0, agent: "a", approach: null, branch: `b/${lane}`, worktree: null, status: "passed", evals: [], score: 1,
    files_changed: 1, out_of_scope: [], insertions: 1, deletions: 0, duration_ms: 1000, tokens: null, cost_usd: null,
    head: "x", note: null, log: "", ...fields,
  };
}

describe("withOverlapPenalty", () => {
  it.each<[string, LaneResult[], number[], number[]]>([
    ["a conflicting lane goes after an equal one", [lane(1), lane(2, { insertions: 50 })], [1], [2, 1]],
    ["but not after a lane with a lower score", [lane(1), lane(2, { score: 0.5 })], [1], [1, 2]],
    ["nor after a lane with a worse status", [lane(1), lane(2, { status: "failed" })], [1], [1, 2]],
    ["two conflicting lanes keep their order", [lane(1), lane(2)], [1, 2], [1, 2]],
    ["nothing penalized: the plain ranking", [lane(2), lane(1, { duration_ms: 9 })], [], [1, 2]],
  ])("%s", (_name, lanes, penalized, order) => {
    const sorted = [...lanes].sort(withOverlapPenalty(compareLanes, new Set(penalized)));
    expect(sorted.map((l) => l.lane)).toEqual(order);
    if (penalized.length === 0) expect(rankLanes(lanes).lanes.map((l) => l.lane)).toEqual(order);
  });
});
