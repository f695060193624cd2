import type { EvalResult, LaneResult, RaceReport } from "../../../src/model/race-report.js";

/** An eval result with passing defaults. */
export function evalResult(overrides: Partial<EvalResult> = {}): EvalResult {
  return { name: "unit", passed: true, required: true, passed_count: 3, failed_count: 0, score: 1, weight: 1, duration_ms: 4200, note: null, ...overrides };
}

/** A passed lane with one eval; override what a test cares about. */
export function laneResult(overrides: Partial<LaneResult> = {}): LaneResult {
  return {
    lane: 1, rank: 1, agent: "claude", approach: null, branch: "agent-race/7-abc123/1-claude", worktree: null, status: "passed",
    evals: [evalResult()], score: 1, files_changed: 2, out_of_scope: [], insertions: 10, deletions: 3, duration_ms: 12_300,
    tokens: null, cost_usd: null, head: "a".repeat(40), note: null, log: "/tmp/lane-1.log", ...overrides,
  };
}

/** A race report over the given lanes (in rank order); the winner is the first passed lane. */
export function raceReport(lanes: LaneResult[], overrides: Partial<RaceReport> = {}): RaceReport {
  return {
    id: "abc123", task: "Fix the parser", base: "main", base_sha: "f".repeat(40), mode: "best",
    started_at: "2026-01-01T00:00:00.000Z", finished_at: "2026-01-01T00:01:00.000Z", duration_ms: 60_000,
    lanes, winner: lanes.find((lane) => lane.status === "passed")?.lane ?? null, ...overrides,
  };
}
