import type { Job } from "bullmq";
import type { GitHubLaneResult } from "../model/github-lane-result.js";
import { placeholderLane } from "../pipeline/placeholder-lane.js";
import type { LaneResult } from "../model/race-report.js";
import { raceJobSchema } from "../queue/job-data.js";
import { completeRace, type CompleteOutcome } from "./complete-race.js";
import { releaseRaceSlot } from "./release-race-slot.js";
import { openJobData } from "./open-job-data.js";
import type { WorkerDeps } from "./worker-deps.js";

/**
 * The race worker: runs once every lane job has finished (or finally failed), collects the lane
 * results and completes the race with them.
 */
export async function processRaceJob(job: Job, deps: WorkerDeps): Promise<CompleteOutcome> {
  const data = openJobData(job, raceJobSchema, deps);
  const log = deps.log.child({ race: data.raceId });
  const values = (await job.getChildrenValues()) as Record<string, GitHubLaneResult>;
  const failures = await job.getIgnoredChildrenFailures();
  const ran = data.lanes.map((plan): GitHubLaneResult => {
    const mine = new RegExp(`:lane-${data.raceId}-${plan.lane}(-r\\d+)?$`);
    const value = Object.entries(values).find(([key]) => mine.test(key))?.[1];
    if (value) return value;
    const failure = Object.entries(failures).find(([key]) => mine.test(key))?.[1];
    return { result: placeholderLane(plan, "error", `the lane job failed: ${failure ?? "unknown error"}`), logTail: "" };
  });
  const meta = await deps.registry.races.update(data.raceId, (m) => ({ ...m, state: "finishing" }));
  // A `/retry` re-ran some lanes: the others keep their results from the race's last report.
  const retried = new Set(data.lanes.map((l) => l.lane));
  const kept = data.retry && meta?.report ? await keptLanes(meta.report.lanes.filter((l) => !retried.has(l.lane)), data.raceId, deps) : [];
  await deps.queues.scheduleStatus(data.raceId, data.installationId, { now: true });
  try {
    return await completeRace(data, [...kept, ...ran], deps, log);
  } catch (error) {
    // The last attempt: say so on the issue and free the issue and the race slot, so nothing waits on a dead race.
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      await deps.registry.races.update(data.raceId, (m) => ({ ...m, state: "failed", finishedAt: Date.now(), waiting: null, message: "agent-race could not finish this race (GitHub or Redis kept failing); `/race` starts a new one." }));
      await deps.registry.issues.release(data.repo.id, data.issueNumber, data.raceId);
      await releaseRaceSlot(data, deps);
      await deps.queues.scheduleStatus(data.raceId, data.installationId, { now: true });
    }
    throw error;
  }
}

async function keptLanes(results: LaneResult[], raceId: string, deps: WorkerDeps): Promise<GitHubLaneResult[]> {
  const states = await deps.registry.races.lanes(raceId);
  return results.map((result) => ({ result, logTail: states.find((s) => s.lane === result.lane)?.logTail ?? "" }));
}
