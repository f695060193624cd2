import type { LaneStep } from "../pipeline/lane-event.js";
import type { LaneResult, LaneStatus, RaceReport } from "../pipeline/race-report.js";
import type { JobRepo } from "./job-data.js";

export type RaceRunState = "queued" | "running" | "finishing" | "done" | "cancelled" | "failed";

/** What Redis keeps about a GitHub race, outside BullMQ's trimmed event stream. */
export interface RaceMeta {
  raceId: string;
  installationId: number;
  repo: JobRepo;
  issueNumber: number;
  issueTitle: string;
  mode: "best" | "compare";
  single: boolean;
  sender: string;
  state: RaceRunState;
  statusCommentId: number | null;
  comparisonCommentId: number | null;
  createdAt: number;
  finishedAt: number | null;
  lanes: Array<{ lane: number; agent: string; approach: string | null; branch: string }>;
  prs: Record<string, { number: number; url: string }>;
  report: RaceReport | null;
  message: string | null;
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
}
