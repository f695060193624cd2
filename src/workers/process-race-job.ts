import type { Job } from "bullmq";
import type { GitHubLaneResult } from "../model/github-lane-result.js";
import { placeholderLane } from "../pipeline/placeholder-lane.js";
import { raceJobSchema, type RaceJob } from "../queue/job-data.js";
import type { CompleteOutcome } from "../app/races/complete-race.js";
import { endRace } from "../app/races/end-race.js";
import { completeRaceDeps } from "./complete-race-deps.js";
import { openJobData } from "./open-job-data.js";
import type { WorkerDeps } from "./worker-deps.js";

/**
 * The race worker: runs once every lane job has finished (or finally failed), collects the lane
 * results and completes the race with them.
 */
export async function processRaceJob(job: Job, deps: WorkerDeps): Promise<CompleteOutcome> {
  const data = openJobData(job, raceJobSchema, deps);
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const outcomes = await laneOutcomes(job, data, deps);
  return endRace(data, outcomes, lastAttempt, { ...deps, completeDeps: () => completeRaceDeps(data, deps) }, deps.log.child({ race: data.raceId }));
}

/**
 * Each lane's outcome: BullMQ says which lane jobs of this flow completed (their receipts) and why
 * the others failed; a completed lane's result and log tail are read from the registry, where the
 * lane stored them (once: a race parked for a merge may outlive BullMQ's job retention).
 */
async function laneOutcomes(job: Job, data: RaceJob, deps: WorkerDeps): Promise<GitHubLaneResult[]> {
  const receipts = await job.getChildrenValues();
  const failures = await job.getIgnoredChildrenFailures();
  const states = await deps.registry.races.lanes(data.raceId);
  return data.lanes.map((plan): GitHubLaneResult => {
    const key = deps.queues.laneJobKey(data.raceId, plan.lane, data.retry?.attempt ?? null);
    const state = states.find((s) => s.lane === plan.lane);
    if (key in receipts && state?.result) return { result: state.result, logTail: state.logTail ?? "" };
    return { result: placeholderLane(plan, "error", `the lane job failed: ${failures[key] ?? "unknown error"}`), logTail: "" };
  });
}
