import { describe, expect, it } from "vitest";
import { rankLanes } from "../../../src/pipeline/rank-lanes.js";
import type { LaneResult } from "../../../src/model/race-report.js";

function lane(lane: number, fields: Partial<LaneResult> = {}): LaneResult {
  return {
    lane, rank: 0, agent: "a", approach: null, branch: `b/${lane}`, worktree: null, status: "passed", evals: [], score: 1,
    files_changed: 1, out_of_scope: [], insertions: 1, deletions: 0, duration_ms: 1000, tokens: null, cost_usd: null,
    head: "x", note: null, log: "", ...fields,
  };
}

describe("rankLanes", () => {
  it.each<[string, LaneResult[], number[], number | null]>([
    ["passing beats a higher-scoring failure", [lane(1, { status: "failed", score: 0.9 }), lane(2, { score: 0.5 })], [2, 1], 2],
    ["higher score wins among passing lanes", [lane(1, { score: 0.5 }), lane(2, { score: 0.8 })], [2, 1], 2],
    ["fewer out-of-scope files break a score tie", [lane(1, { out_of_scope: ["x"] }), lane(2)], [2, 1], 2],
    ["a smaller diff breaks the next tie", [lane(1, { insertions: 10 }), lane(2, { insertions: 2, deletions: 1 })], [2, 1], 2],
    ["a shorter run breaks the next tie", [lane(1, { duration_ms: 5000 }), lane(2, { duration_ms: 100 })], [2, 1], 2],
    ["the lane number breaks a full tie", [lane(2), lane(1)], [1, 2], 1],
    ["failed ranks above timeout, error and no-changes", [lane(1, { status: "no-changes" }), lane(2, { status: "error" }), lane(3, { status: "timeout" }), lane(4, { status: "failed", score: 0 })], [4, 3, 2, 1], null],
    ["a budget stop ranks with timeouts, after failed and before error", [lane(1, { status: "error" }), lane(2, { status: "budget" }), lane(3, { status: "failed", score: 0 })], [3, 2, 1], null],
    ["no winner when nothing passed", [lane(1, { status: "failed" })], [1], null],
    ["no winner for no lanes", [], [], null],
  ])("%s", (_name, lanes, order, winner) => {
    const ranked = rankLanes(lanes);
    expect(ranked.lanes.map((l) => l.lane)).toEqual(order);
    expect(ranked.lanes.map((l) => l.rank)).toEqual(order.map((_, i) => i + 1));
    expect(ranked.winner).toBe(winner);
  });
});
