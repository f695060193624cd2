import type { LaneResult } from "./race-report.js";

/** What a lane job returns to its race: the lane's result plus a redacted tail of its log. */
export interface GitHubLaneResult {
  result: LaneResult;
  logTail: string;
}
