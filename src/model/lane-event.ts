import type { LaneStatus } from "./race-report.js";

export type LaneStep = "queued" | "preparing" | "setup" | "agent" | "committing" | "evaluating" | "publishing" | "done";

/** Progress of one lane, as the CLI view, the status comment and the dashboard show it. */
export interface LaneEvent {
  lane: number;
  agent: string;
  step: LaneStep;
  /** Set with step "done". */
  status?: LaneStatus | undefined;
  detail?: string | undefined;
  at: number;
}
