import { Worker, type Processor } from "bullmq";
import { BudgetLedger } from "../redis/budget-ledger.js";
import { QUEUES } from "../queue/queue-names.js";
import { LaneCancellations } from "./lane-cancellations.js";
import { reapDeadWorkersAgents } from "./orphaned-agents.js";
import { processLaneJob } from "./process-lane-job.js";
import { processMaintenanceJob } from "./process-maintenance-job.js";
import { processRevisionJob } from "./process-revision-job.js";
import { processRaceJob } from "./process-race-job.js";
import { processStatusJob } from "./process-status-job.js";
import { processWaitJob } from "./process-wait-job.js";
import { processTriggerJob, releaseFailedTrigger } from "./process-trigger-job.js";
import type { WorkerDeps } from "./worker-deps.js";

export interface RunningWorkers {
  /** Stops taking jobs, aborts running agents (their jobs go back to the queue) and waits. */
  close(): Promise<void>;
}

/** Starts the trigger, lane, race and status workers on one process; any number may share Redis. */
export async function startWorkers(deps: WorkerDeps): Promise<RunningWorkers> {
  // Agents whose worker on this host was SIGKILLed still run (process groups of their own): stop them first.
  await reapDeadWorkersAgents(deps.agentGroups, deps.log);
  const cancellations = new LaneCancellations();
  await deps.registry.cancels.subscribe(deps.subscriber, (raceId) => cancellations.cancelRace(raceId));
  const budgets = new BudgetLedger(deps.connection, deps.prefix, deps.log);
  await budgets.subscribe(deps.subscriber);
  const common = { connection: deps.connection, prefix: deps.prefix, lockDuration: deps.lockDurationMs, stalledInterval: Math.max(1000, deps.lockDurationMs / 2) };
  const make = (queue: string, processor: Processor, concurrency: number): Worker => {
    const worker = new Worker(queue, processor, { ...common, concurrency });
    worker.on("failed", (job, error) => deps.log.warn({ queue, job: job?.id, err: error.message }, "job failed"));
    worker.on("error", (error) => deps.log.error({ queue, err: error.message }, "worker error"));
    return worker;
  };
  const triggers = make(QUEUES.triggers, (job) => processTriggerJob(job, deps), 4);
  triggers.on("failed", (job, error) => void releaseFailedTrigger(job, error, deps)); // a redelivery then works
  const workers = [
    triggers,
    make(QUEUES.lanes, (job, token) => processLaneJob(job, token, deps, cancellations, budgets), deps.laneConcurrency),
    make(QUEUES.races, (job) => processRaceJob(job, deps), 2),
    make(QUEUES.status, (job) => processStatusJob(job, deps), 4),
    make(QUEUES.revisions, (job) => processRevisionJob(job, deps, cancellations), deps.laneConcurrency),
    make(QUEUES.maintenance, () => processMaintenanceJob(deps), 1),
    make(QUEUES.waits, (job, token) => processWaitJob(job, token, deps), 2),
  ];
  // One daily sweep across all workers (a job scheduler is idempotent: every worker may upsert it).
  await deps.queues.maintenance.upsertJobScheduler("daily-sweep", { every: 24 * 3600 * 1000 }, { name: "sweep" });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  return {
    close: async () => {
      cancellations.cancelAll();
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
