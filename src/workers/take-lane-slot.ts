import { DelayedError, type Job } from "bullmq";
import type { Logger } from "pino";
import type { RepoConfig } from "../config/repo-config.js";
import { claimLaneSlot, laneSlotLimits, slotRetryDelayMs, slotWaitDetail } from "./claim-lane-slot.js";
import type { LaneRecorder } from "./lane-recorder.js";
import type { LaneWork } from "./open-lane-job.js";
import type { WorkerDeps } from "./worker-deps.js";

/**
 * Fairness: the lane's slots under its repo's and installation's limits, or — none free — the job
 * goes to the back of the queue (no attempt spent) and the status says what it waits for.
 */
export async function takeLaneSlot(
  job: Job,
  token: string | undefined,
  lane: { holder: string; work: LaneWork; config: RepoConfig; record: LaneRecorder },
  deps: Pick<WorkerDeps, "laneSlots" | "operator" | "registry">,
  log: Logger,
): Promise<{ release(): Promise<string[]> }> {
  const { work } = lane;
  const slot = await claimLaneSlot(deps.laneSlots, lane.holder, laneSlotLimits(lane.config, deps.operator, work.repo.id, work.installationId), log);
  if (slot.held) return slot;
  const detail = slotWaitDetail(slot.full);
  const shown = (await deps.registry.races.lanes(work.raceId)).find((l) => l.lane === work.lane.lane);
  if (shown?.step !== "queued" || shown.detail !== detail) lane.record.event({ lane: work.lane.lane, agent: work.lane.agent, step: "queued", detail, at: Date.now() });
  await job.moveToDelayed(Date.now() + slotRetryDelayMs(), token);
  throw new DelayedError();
}
