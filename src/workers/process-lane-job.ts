import { DelayedError, type Job } from "bullmq";
import type { LaneStatus } from "../model/race-report.js";
import { placeholderLane } from "../pipeline/placeholder-lane.js";
import { runGitHubLane } from "../app/races/run-github-lane.js";
import type { BudgetLedger } from "../redis/budget-ledger.js";
import { laneJobId } from "../queue/job-queues.js";
import { takeLaneSlot } from "./take-lane-slot.js";
import { jobConfig } from "./job-config.js";
import type { LaneCancellations } from "./lane-cancellations.js";
import { laneRecorder } from "./lane-recorder.js";
import { recordAgentGroups, reapLaneOrphan } from "./orphaned-agents.js";
import { githubLaneDeps } from "./github-lane-deps.js";
import { openLaneJob } from "./open-lane-job.js";
import type { WorkerDeps } from "./worker-deps.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";

/** What a lane job returns to BullMQ: a receipt. The result itself is stored once, in the registry. */
export interface LaneReceipt {
  lane: number;
  status: LaneStatus;
}

/** The lane worker: a thin adapter from a BullMQ lane job to the App's GitHub lane recipe. */
export async function processLaneJob(job: Job, token: string | undefined, deps: WorkerDeps, cancellations: LaneCancellations, budgets?: BudgetLedger): Promise<LaneReceipt> {
  const work = await openLaneJob(job, deps);
  const { raceId, lane: plan } = work;
  const log = deps.log.child({ race: raceId, lane: plan.lane });
  const record = laneRecorder(work, deps, log);
  if (await deps.registry.cancels.isCancelled(raceId)) {
    record.event({ lane: plan.lane, agent: plan.agent, step: "done", status: "error", detail: "cancelled", at: Date.now() });
    await record.finish({ result: placeholderLane(plan, "error", "cancelled before it started"), logTail: "" });
    return { lane: plan.lane, status: "error" };
  }
  const config = jobConfig(work.configText, deps.operator);
  const jobId = job.id ?? laneJobId(raceId, plan.lane, work.retry?.attempt ?? null);
  // An earlier run of this lane whose worker died may have left its agent running on this host.
  await reapLaneOrphan(deps.agentGroups, jobId, log);
  const slot = await takeLaneSlot(job, token, { holder: jobId, work, config, record }, deps, log);
  deps.metrics?.laneStarted(job, raceId, plan.lane);
  const controller = cancellations.register(raceId);
  // SIGTERM: hand the job back without spending an attempt; another worker runs it again. Also when
  // the abort made the lane throw (mirror fetch, push) rather than return.
  const handBack = async (): Promise<void> => {
    if (!controller.signal.aborted || !cancellations.shuttingDown || (await deps.registry.cancels.isCancelled(raceId))) return;
    log.info("lane handed back on shutdown");
    if (token) await job.moveToDelayed(Date.now() + 1000, token);
    throw new DelayedError();
  };
  try {
    const budget = budgets?.guard({ raceId, installationId: work.installationId, race: config.budget, perInstallationPerDay: deps.operator.budget.per_installation_usd_per_day });
    const outcome = await runGitHubLane(
      { raceId, repo: work.repo, task: work.task, baseSha: work.baseSha, lanesTotal: work.lanesTotal, lane: plan, config },
      { ...(await githubLaneDeps(work, deps, JOB_PERMISSIONS.lane)), signal: controller.signal, onEvent: record.event, onAgentSpawn: recordAgentGroups(deps.agentGroups, { jobId, raceId, lane: plan.lane }, log), budget },
    ).catch(async (error: unknown) => {
      await handBack();
      throw error;
    });
    await handBack();
    await record.finish(outcome);
    deps.metrics?.laneFinished(outcome.result);
    log.info({ status: outcome.result.status }, "lane finished");
    return { lane: plan.lane, status: outcome.result.status };
  } finally {
    cancellations.release(raceId, controller);
    for (const next of await slot.release()) await deps.queues.wakeLane(next);
  }
}
