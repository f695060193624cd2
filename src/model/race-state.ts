import type { LaneStep } from "./lane-event.js";
import type { LaneResult, LaneStatus, RaceReport } from "./race-report.js";

/** Where a GitHub race is: the dashboard, the status comment and the labels all show it. */
export type RaceState = "waiting" | "queued" | "running" | "finishing" | "done" | "cancelled" | "failed";

/** The repository a GitHub race runs on, as the webhook named it (queue/job-data.ts validates it). */
export interface RaceRepo {
  id: number;
  owner: string;
  name: string;
  cloneUrl: string;
  htmlUrl: string;
  defaultBranch: string;
}

/** What Redis keeps about a GitHub race, outside BullMQ's trimmed event stream. */
export interface RaceMeta {
  raceId: string;
  installationId: number;
  repo: RaceRepo;
  issueNumber: number;
  issueTitle: string;
  /** The sanitized task the lanes got, and the commit they started from. */
  task: string;
  baseSha: string;
  mode: "best" | "compare";
  single: boolean;
  sender: string;
  state: RaceState;
  statusCommentId: number | null;
  comparisonCommentId: number | null;
  createdAt: number;
  finishedAt: number | null;
  lanes: Array<{ lane: number; agent: string; approach: string | null; branch: string }>;
  prs: Record<string, { number: number; url: string }>;
  report: RaceReport | null;
  message: string | null;
  /** The lane chosen with an approving review or `/pick`, and by whom. */
  picked?: { lane: number; by: string } | null | undefined;
  /** Set once one of the race's PRs was merged: the race is finished. */
  mergedPr?: number | null | undefined;
  /** How many `/retry` runs this race has had. */
  retries?: number | undefined;
  /** While `waiting`: what for, and the delayed job that wakes it. */
  waiting?: { for: number[]; reason: "dependency" | "slot" | "merge"; jobId: string } | null | undefined;
}

export interface LaneState {
  lane: number;
  agent: string;
  approach: string | null;
  step: LaneStep;
  status?: LaneStatus | undefined;
  detail?: string | undefined;
  startedAt: number | null;
  updatedAt: number;
  result?: LaneResult | undefined;
  /** The redacted tail of the lane's log, once it finished. */
  logTail?: string | undefined;
}
