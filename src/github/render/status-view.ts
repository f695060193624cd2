import type { LaneStep } from "../../model/lane-event.js";
import type { LaneStatus } from "../../model/race-report.js";
import type { RaceState } from "../../model/race-state.js";

/** One lane's row in the status comment. */
export interface LaneStatusView {
  lane: number;
  agent: string;
  approach: string | null;
  step: LaneStep;
  /** Set with step "done". */
  status?: LaneStatus;
  /** A short note on the current step (untrusted: shown redacted and inert). */
  detail?: string;
  /** Epoch ms when the lane started work, null while queued. */
  startedAt: number | null;
  /** Epoch ms of the lane's last event. */
  updatedAt: number;
}

/** Everything the live status comment on the issue shows. */
export interface StatusView {
  raceId: string;
  state: RaceState;
  lanes: LaneStatusView[];
  /** Epoch ms the comment is rendered at. */
  now: number;
  /** An app-written line under the heading (Markdown, shown redacted), e.g. why the race failed. */
  message?: string;
  /** While waiting: the issues or PRs it waits for (none: a free race slot), and why. */
  waiting?: { for: number[]; reason: "dependency" | "slot" | "merge" } | undefined;
  /** The operator runs lanes with `sandbox: none`: every comment says so. */
  unsandboxed?: boolean | undefined;
}
