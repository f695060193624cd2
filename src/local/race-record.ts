import type { RaceReport } from "../model/race-report.js";

export type LocalRaceState = "running" | "done" | "cancelled" | "interrupted" | "picked";

/** What `.git/agent-race/races/<id>.json` holds about one local race. */
export interface RaceRecord {
  id: string;
  state: LocalRaceState;
  pid: number;
  repo: string;
  task: string;
  base: string;
  base_sha: string;
  created_at: string;
  updated_at: string;
  worktree_dir: string;
  lanes: Array<{ lane: number; agent: string; approach: string | null; branch: string }>;
  report: RaceReport | null;
  picked_lane: number | null;
}
