import type { LaneResult } from "../model/race-report.js";

/**
 * Wraps a lane comparator (e.g. `compareLanes`) for the `penalize` policy: between two lanes with the same
 * status and score, the one that conflicts with an open PR comes second; everything else is left to
 * `compare`. Pure.
 */
export function withOverlapPenalty<T extends Pick<LaneResult, "lane" | "status" | "score">>(
  compare: (a: T, b: T) => number,
  penalized: ReadonlySet<number>,
): (a: T, b: T) => number {
  return (a, b) => {
    const penalty = Number(penalized.has(a.lane)) - Number(penalized.has(b.lane));
    if (penalty !== 0 && a.status === b.status && a.score === b.score) return penalty;
    return compare(a, b);
  };
}
