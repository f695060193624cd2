import { rankLanes } from "./rank-lanes.js";
import type { LaneResult, RaceReport } from "../model/race-report.js";

export interface ReportInput {
  id: string;
  task: string;
  base: string;
  baseSha: string;
  mode: "best" | "compare";
  startedAt: Date;
  lanes: readonly LaneResult[];
  /** A custom order (the overlap `penalize` policy wraps the default one). */
  compare?: ((a: LaneResult, b: LaneResult) => number) | undefined;
}

/** Ranks finished lanes and builds the race report (the documented JSON contract). */
export function assembleReport(input: ReportInput): RaceReport {
  const { lanes, winner } = rankLanes(input.lanes, input.compare);
  const finished = new Date();
  return {
    id: input.id,
    task: input.task,
    base: input.base,
    base_sha: input.baseSha,
    mode: input.mode,
    started_at: input.startedAt.toISOString(),
    finished_at: finished.toISOString(),
    duration_ms: finished.getTime() - input.startedAt.getTime(),
    lanes,
    winner,
  };
}

/** Branches worth keeping after a race: the winner (best) or every passing lane (compare). */
export function branchesToKeep(report: RaceReport): Set<string> {
  const keep = report.lanes.filter((lane) =>
    // A lane refused for protected paths keeps its local branch (CLI), so its changes can be inspected.
    lane.head !== null && (lane.status === "protected" || (report.mode === "compare" ? lane.status === "passed" : lane.lane === report.winner)),
  );
  return new Set(keep.map((lane) => lane.branch));
}
