import type { EvalResult } from "../model/race-report.js";

/** A lane's eval score: the weighted mean of its evals' scores, 1 when there is nothing to weigh. */
export function evalScore(results: readonly EvalResult[]): number {
  let total = 0;
  let weighted = 0;
  for (const result of results) {
    total += result.weight;
    weighted += result.weight * result.score;
  }
  return total > 0 ? weighted / total : 1;
}
