import type { LaneResult, LaneStatus } from "../model/race-report.js";

/** A result for a lane that never ran to the end (cancelled before it started, or its job failed). */
export function placeholderLane(plan: { lane: number; agent: string; approach: string | null; branch: string }, status: LaneStatus, note: string): LaneResult {
  return {
    lane: plan.lane, rank: 0, agent: plan.agent, approach: plan.approach, branch: plan.branch, worktree: null, status,
    evals: [], score: 0, files_changed: 0, out_of_scope: [], insertions: 0, deletions: 0, duration_ms: 0,
    tokens: null, cost_usd: null, head: null, note, log: `lane-${plan.lane}.log`,
  };
}
