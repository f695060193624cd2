import type { Logger } from "pino";
import type { GitHubLaneResult } from "../model/github-lane-result.js";
import type { LaneEvent } from "../model/lane-event.js";
import type { LaneState } from "../model/race-state.js";
import type { LaneWork } from "./open-lane-job.js";
import type { WorkerDeps } from "./worker-deps.js";

/** Records a lane's progress in the registry (the status comment and dashboard read it) and in the metrics. */
export interface LaneRecorder {
  /** A step of the lane: best effort, it never holds the lane up. */
  event(event: LaneEvent): void;
  /** The lane's outcome: the one place its result is stored (the race job reads it from here). */
  finish(outcome: GitHubLaneResult): Promise<void>;
}

export function laneRecorder(work: LaneWork, deps: Pick<WorkerDeps, "registry" | "queues" | "metrics">, log: Logger): LaneRecorder {
  const { lane, agent, approach } = work.lane;
  let startedAt: number | null = null;
  return {
    event: (event) => {
      deps.metrics?.laneEvent(work.raceId, event);
      startedAt ??= event.step === "queued" ? null : event.at;
      const state: LaneState = { lane, agent, approach, step: event.step, status: event.status, detail: event.detail, startedAt, updatedAt: event.at };
      void deps.registry.races.setLane(work.raceId, state)
        .then(() => deps.queues.scheduleStatus(work.raceId, work.installationId))
        .catch((error: unknown) => log.warn({ err: error }, "lane state update failed"));
    },
    finish: async ({ result, logTail }) => {
      await deps.registry.races.setLane(work.raceId, {
        lane, agent, approach, step: "done", status: result.status, detail: result.note ?? undefined, startedAt, updatedAt: Date.now(), result, logTail,
      });
      await deps.queues.scheduleStatus(work.raceId, work.installationId);
    },
  };
}
