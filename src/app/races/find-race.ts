import type { RaceMeta } from "../../model/race-state.js";
import type { TriggerJob } from "../../queue/job-data.js";
import type { TriggerDeps } from "./trigger-deps.js";

/**
 * The race a trigger is about: on a generated PR, the race and lane that opened it; on an issue,
 * the issue's newest race. Null when agent-race has no race there.
 */
export async function findRace(job: TriggerJob, deps: TriggerDeps, prNumber?: number): Promise<{ meta: RaceMeta; lane: number | null } | null> {
  if (prNumber !== undefined || job.issue.isPullRequest) {
    const link = await deps.registry.pullRequests.laneOf(job.repo.id, prNumber ?? job.issue.number);
    const meta = link ? await deps.registry.races.get(link.raceId) : null;
    return meta && link ? { meta, lane: link.lane } : null;
  }
  const raceId = await deps.registry.issues.last(job.repo.id, job.issue.number);
  const meta = raceId ? await deps.registry.races.get(raceId) : null;
  return meta ? { meta, lane: null } : null;
}
