import { DelayedError, type Job } from "bullmq";
import { waitRace, type WaitOutcome } from "../app/races/wait-race.js";
import { waitJobSchema } from "../queue/job-data.js";
import { WAIT_RECHECK_MS } from "../queue/job-queues.js";
import { completeRaceDeps } from "./complete-race-deps.js";
import { gitAuthFor } from "./git-auth-for.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";
import { openJobData } from "./open-job-data.js";
import type { WorkerDeps } from "./worker-deps.js";

/**
 * The wait worker: a thin adapter from a BullMQ wait job to `waitRace`. A race still waiting is
 * parked again as a delayed job (the backstop re-check; the webhook that closes what it waits for wakes it sooner).
 */
export async function processWaitJob(job: Job, token: string | undefined, deps: WorkerDeps): Promise<Exclude<WaitOutcome, "park">> {
  const data = openJobData(job, waitJobSchema, deps);
  const { race } = data;
  const outcome = await waitRace(data, job.id, {
    github: await deps.github.clientFor(race.installationId, race.repo, JOB_PERMISSIONS.wait),
    gitAuth: (access) => gitAuthFor(deps.github, race.installationId, race.repo.name, access),
    registry: deps.registry, queues: deps.queues, operator: deps.operator, cacheDir: deps.cacheDir, worktreeRoot: deps.worktreeRoot, sandbox: deps.sandbox, env: deps.env, log: deps.log,
    completeDeps: () => completeRaceDeps(race, deps),
  });
  if (outcome !== "park") return outcome;
  if (!token) throw new Error("a wait job needs its lock token to be parked again");
  await job.moveToDelayed(Date.now() + WAIT_RECHECK_MS, token);
  throw new DelayedError();
}
