import type { JobQueues } from "./job-queues.js";
import type { RaceRegistry } from "../redis/race-registry.js";

/** Runs a waiting race's job now, if it is waiting (the job re-checks what it waits for). */
export async function wakeRace(raceId: string, deps: { registry: RaceRegistry; queues: JobQueues }): Promise<boolean> {
  const meta = await deps.registry.races.get(raceId);
  return meta?.state === "waiting" && meta.waiting ? deps.queues.wake(meta.waiting.jobId) : false;
}
