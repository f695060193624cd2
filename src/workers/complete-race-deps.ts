import type { CompleteRaceDeps } from "../app/races/complete-race.js";
import type { RaceJob } from "../queue/job-data.js";
import { PrFilesCache } from "../redis/pr-files-cache.js";
import { withRedisLock } from "../redis/with-redis-lock.js";
import { gitAuthFor } from "./git-auth-for.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";
import type { WorkerDeps } from "./worker-deps.js";

/** Completing a race from a worker: a client narrowed to the race's repository, the PR-files cache and the finish lock in Redis. */
export async function completeRaceDeps(race: Pick<RaceJob, "installationId" | "repo">, deps: WorkerDeps): Promise<CompleteRaceDeps> {
  return {
    github: await deps.github.clientFor(race.installationId, race.repo, JOB_PERMISSIONS.race),
    gitAuth: (access) => gitAuthFor(deps.github, race.installationId, race.repo.name, access),
    registry: deps.registry,
    queues: deps.queues,
    prFiles: new PrFilesCache(deps.connection, deps.prefix),
    withFinishLock: (repoId, fn) => withRedisLock(deps.connection, `${deps.prefix}:finish-lock:${repoId}`, fn),
    operator: deps.operator,
    cacheDir: deps.cacheDir,
    log: deps.log,
    metrics: deps.metrics,
  };
}
