/**
 * The race report: the documented JSON contract of `agent-race race --json` (docs/cli.md).
 * Field names are snake_case because scripts and the GitHub App read them as they are.
 */
/** `needs-rerun` (GitHub App only): the lane passed, but could not be rebased onto a base that moved under it. */
/** `budget`: a cost budget (docs/config.md) stopped the lane's agent, or kept the lane from starting. */
/** `protected`: the lane changed a protected path (`.github/workflows/**`, `protected_paths`); it is never pushed. */
export type LaneStatus = "passed" | "failed" | "no-changes" | "error" | "timeout" | "needs-rerun" | "budget" | "protected" | "limit";

export interface EvalResult {
  name: string;
  passed: boolean;
  required: boolean;
  passed_count: number;
  failed_count: number;
  /** 0..1: the json eval's score, the share of passing tests, or 1/0 for exit-code evals. */
  score: number;
  weight: number;
  duration_ms: number;
  /** Why it failed when the counts do not say: timeout, missing report, bad output. */
  note: string | null;
}

export interface LaneResult {
  lane: number;
  /** 1-based position in the ranking. */
  rank: number;
  agent: string;
  approach: string | null;
  branch: string;
  /** The worktree path while it exists (`--keep`), else null. */
  worktree: string | null;
  status: LaneStatus;
  evals: EvalResult[];
  score: number;
  files_changed: number;
  out_of_scope: string[];
  insertions: number;
  deletions: number;
  duration_ms: number;
  tokens: number | null;
  cost_usd: number | null;
  /** The lane branch's head commit, null when nothing was committed. */
  head: string | null;
  /** A short human explanation for statuses other than passed. */
  note: string | null;
  /** The lane's log file. */
  log: string;
}

export interface RaceReport {
  id: string;
  task: string;
  /** The base ref as given (a branch name when HEAD was a branch). */
  base: string;
  base_sha: string;
  mode: "best" | "compare";
  started_at: string;
  finished_at: string;
  duration_ms: number;
  /** Lanes in rank order. */
  lanes: LaneResult[];
  winner: number | null;
}
