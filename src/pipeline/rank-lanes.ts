import type { LaneResult, LaneStatus } from "../model/race-report.js";

const STATUS_ORDER: Record<LaneStatus, number> = { passed: 0, failed: 1, timeout: 2, error: 3, "no-changes": 4, "needs-rerun": 1, budget: 2, protected: 3, limit: 3 };

/**
 * Orders lanes best first: required evals passing, then weighted eval score, then fewer
 * out-of-scope files, a smaller diff and a shorter run; ties break by lane number.
 * Returns new objects with `rank` set, and the winner (the top lane, if it passed).
 */
export function rankLanes(lanes: readonly LaneResult[], compare: (a: LaneResult, b: LaneResult) => number = compareLanes): { lanes: LaneResult[]; winner: number | null } {
  const ranked = [...lanes].sort(compare).map((lane, i) => ({ ...lane, rank: i + 1 }));
  const top = ranked[0];
  return { lanes: ranked, winner: top && top.status === "passed" ? top.lane : null };
}

export function compareLanes(a: LaneResult, b: LaneResult): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    b.score - a.score ||
    a.out_of_scope.length - b.out_of_scope.length ||
    a.insertions + a.deletions - (b.insertions + b.deletions) ||
    a.duration_ms - b.duration_ms ||
    a.lane - b.lane
  );
}
