import type { EvalResult, LaneStatus } from "../model/race-report.js";

/** A lane whose agent succeeded and changed files: passed when every required eval passed and its scope holds. */
export function laneStatus(evals: readonly EvalResult[], scopeFailed: boolean): LaneStatus {
  if (scopeFailed) return "failed";
  return evals.every((e) => e.passed || !e.required) ? "passed" : "failed";
}
