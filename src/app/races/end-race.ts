import type { Logger } from "pino";
import type { OperatorConfig } from "../../config/operator-config.js";
import type { GitHubLaneResult } from "../../model/github-lane-result.js";
import type { LaneResult } from "../../model/race-report.js";
import type { RaceJob } from "../../queue/job-data.js";
import type { JobQueues } from "../../queue/job-queues.js";
import type { RaceRegistry } from "../../redis/race-registry.js";
import { completeRace, type CompleteOutcome, type CompleteRaceDeps } from "./complete-race.js";
import { releaseRaceSlot } from "./release-race-slot.js";

export interface EndRaceDeps {
  registry: RaceRegistry;
  queues: JobQueues;
  operator: OperatorConfig;
  /** Built only now (it reaches GitHub): a failure here also counts as a failed attempt. */
  completeDeps: () => Promise<CompleteRaceDeps>;
}

/**
 * A race whose lanes have all ended: it shows as finishing, a `/retry` run keeps the other lanes'
 * results from the race's last report, and the race is completed. When that fails on the last
 * attempt, the race ends as failed and frees its issue and race slot, so nothing waits on a dead race.
 */
export async function endRace(data: RaceJob, ran: GitHubLaneResult[], lastAttempt: boolean, deps: EndRaceDeps, log: Logger): Promise<CompleteOutcome> {
  const meta = await deps.registry.races.update(data.raceId, (m) => ({ ...m, state: "finishing" }));
  const retried = new Set(data.lanes.map((l) => l.lane));
  const kept = data.retry && meta?.report ? await keptLanes(meta.report.lanes.filter((l) => !retried.has(l.lane)), data.raceId, deps.registry) : [];
  await deps.queues.scheduleStatus(data.raceId, data.installationId, { now: true });
  try {
    return await completeRace(data, [...kept, ...ran], await deps.completeDeps(), log);
  } catch (error) {
    if (lastAttempt) {
      await deps.registry.races.update(data.raceId, (m) => ({ ...m, state: "failed", finishedAt: Date.now(), waiting: null, message: "agent-race could not finish this race (GitHub or Redis kept failing); `/race` starts a new one." }));
      await deps.registry.issues.release(data.repo.id, data.issueNumber, data.raceId);
      await releaseRaceSlot(data, deps);
      await deps.queues.scheduleStatus(data.raceId, data.installationId, { now: true });
    }
    throw error;
  }
}

async function keptLanes(results: LaneResult[], raceId: string, registry: RaceRegistry): Promise<GitHubLaneResult[]> {
  const states = await registry.races.lanes(raceId);
  return results.map((result) => ({ result, logTail: states.find((s) => s.lane === result.lane)?.logTail ?? "" }));
}
