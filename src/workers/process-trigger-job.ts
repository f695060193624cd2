import { UnrecoverableError, type Job } from "bullmq";
import { handleTrigger } from "../app/races/handle-trigger.js";
import { triggerJobSchema } from "../queue/job-data.js";
import { openJobData } from "./open-job-data.js";
import type { WorkerDeps } from "./worker-deps.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";

/** What the trigger worker needs of the worker's dependencies. */
export type TriggerWorkerDeps = Pick<WorkerDeps, "github" | "queues" | "registry" | "operator" | "log">;

/**
 * The trigger worker: open the job (signature, schema, repository), then handle the webhook event
 * with an installation client. The job's timestamp is when the webhook was received, which orders
 * a `/cancel` against a start still under way.
 */
export async function processTriggerJob(job: Job, deps: TriggerWorkerDeps): Promise<string> {
  const data = openJobData(job, triggerJobSchema, deps);
  const github = await deps.github.clientFor(data.installationId, data.repo, JOB_PERMISSIONS.trigger);
  return handleTrigger(data, {
    github, queues: deps.queues, registry: deps.registry, operator: deps.operator, appSlug: await deps.github.appSlug(), log: deps.log, receivedAt: job.timestamp,
  });
}

/**
 * The trigger worker's `failed` listener. After the last attempt, the delivery's claim (the
 * X-GitHub-Delivery dedup record) is released and the failed job removed (its id is the
 * delivery's), so a manual redelivery from GitHub's UI is taken as new instead of ignored.
 * A job whose data does not open (changed in Redis) keeps both: its delivery id is not trusted.
 */
export async function releaseFailedTrigger(job: Job | undefined, error: Error, deps: TriggerWorkerDeps): Promise<boolean> {
  if (!job || !isFinalFailure(job, error)) return false;
  const opened = deps.queues.seal.open(job.data);
  const parsed = opened.ok ? triggerJobSchema.safeParse(opened.data) : null;
  if (!parsed?.success) return false;
  try {
    await job.remove();
    await deps.registry.deliveries.forget(parsed.data.deliveryId);
    deps.log.warn({ delivery: parsed.data.deliveryId, job: job.id, err: error.message }, "trigger failed for good; its delivery can be redelivered");
    return true;
  } catch (err) {
    deps.log.error({ delivery: parsed.data.deliveryId, job: job.id, err: err instanceof Error ? err.message : String(err) }, "could not release a failed trigger's delivery");
    return false;
  }
}

function isFinalFailure(job: Job, error: Error): boolean {
  return error instanceof UnrecoverableError || error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
}
