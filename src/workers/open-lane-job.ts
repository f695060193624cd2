import { Job, UnrecoverableError } from "bullmq";
import { laneJobSchema, raceJobSchema, type PlannedLane, type RaceJob } from "../queue/job-data.js";
import { openJobData } from "./open-job-data.js";
import type { WorkerDeps } from "./worker-deps.js";

/** What a lane job runs: its race (from the parent job) and its planned lane. */
export type LaneWork = Omit<RaceJob, "lanes"> & { lane: PlannedLane };

/**
 * Opens a lane job and its parent race job (each signed and validated, see `openJobData`): the lane
 * job names a lane, the race job holds the task, config, base and planned agent, queued once per race.
 */
export async function openLaneJob(job: Job, deps: Pick<WorkerDeps, "queues" | "github" | "log">): Promise<LaneWork> {
  const data = openJobData(job, laneJobSchema, deps);
  const refuse = (reason: string): never => {
    deps.log.error({ job: job.id, queue: job.queueName, reason }, "job refused");
    throw new UnrecoverableError(`${job.queueName} job refused: ${reason}`);
  };
  const parent = job.parent?.id ? await Job.fromId(deps.queues.races, job.parent.id) : undefined;
  if (!parent) return refuse("its race job is gone");
  const { lanes, ...race } = openJobData(parent, raceJobSchema, deps);
  const lane = lanes.find((l) => l.lane === data.lane);
  if (race.raceId !== data.raceId || !lane) return refuse(`race ${race.raceId} has no lane ${data.lane} of race ${data.raceId}`);
  return { ...race, lane };
}
