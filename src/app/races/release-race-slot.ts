import type { RaceJob } from "../../queue/job-data.js";
import { wakeRace } from "../../queue/wake-race.js";
import { resolveServerConfig } from "../../config/agents/resolve-server-config.js";
import type { OperatorConfig } from "../../config/operator-config.js";
import type { JobQueues } from "../../queue/job-queues.js";
import type { RaceRegistry } from "../../redis/race-registry.js";

/**
 * Frees the race's `max_concurrent_races` slot on its repo and wakes as many of the races waiting
 * for one, oldest first, as there are free slots now (each re-checks when it runs).
 */
export async function releaseRaceSlot(data: Pick<RaceJob, "raceId" | "repo" | "configText">, deps: { registry: RaceRegistry; queues: JobQueues; operator: OperatorConfig }): Promise<void> {
  const { waits } = deps.registry;
  await waits.releaseSlot(data.repo.id, data.raceId);
  const waiting = await waits.slotWaiters(data.repo.id);
  if (waiting.length === 0) return;
  let limit = 3;
  try {
    limit = resolveServerConfig(data.configText, deps.operator).max_concurrent_races;
  } catch {
    // An invalid config never started a race; the default decides how many to wake.
  }
  const free = Math.max(0, limit - (await waits.runningRaces(data.repo.id)).length);
  for (const raceId of waiting.slice(0, Math.max(1, free))) await wakeRace(raceId, deps);
}
