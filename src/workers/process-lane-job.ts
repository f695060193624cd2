import { DelayedError, type Job } from "bullmq";
import type { GitHubLaneResult } from "../model/github-lane-result.js";
import type { LaneEvent } from "../model/lane-event.js";
import { placeholderLane } from "../pipeline/placeholder-lane.js";
import { runGitHubLane } from "../app/races/run-github-lane.js";
import type { BudgetLedger } from "../redis/budget-ledger.js";
import { laneJobSchema } from "../queue/job-data.js";
import type { LaneState } from "../model/race-state.js";
import { claimLaneSlot, laneSlotLimits, slotRetryDelayMs, slotWaitDetail } from "./claim-lane-slot.js";
import { jobConfig } from "./job-config.js";
import type { LaneCancellations } from "./lane-cancellations.js";
import { recordAgentGroups, reapLaneOrphan } from "./orphaned-agents.js";
import { gitAuthFor } from "./git-auth-for.js";
import { openJobData } from "./open-job-data.js";
import type { WorkerDeps } from "./worker-deps.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";

/** The lane worker: a thin adapter from a BullMQ lane job to the engine's GitHub lane recipe. */
export async function processLaneJob(job: Job, token: string | undefined, deps: WorkerDeps, cancellations: LaneCancellations, budgets?: BudgetLedger): Promise<GitHubLaneResult> {
  const data = openJobData(job, laneJobSchema, deps);
  const log = deps.log.child({ race: data.raceId, lane: data.lane.lane });
  const plan = data.lane;
  let startedAt: number | null = null;
  const record = (event: LaneEvent): void => {
    deps.metrics?.laneEvent(data.raceId, event);
    startedAt ??= event.step === "queued" ? null : event.at;
    const state: LaneState = { lane: plan.lane, agent: plan.agent, approach: plan.approach, step: event.step, status: event.status, detail: event.detail, startedAt, updatedAt: event.at };
    void deps.registry.races.setLane(data.raceId, state)
      .then(() => deps.queues.scheduleStatus(data.raceId, data.installationId))
      .catch((error: unknown) => log.warn({ err: error }, "lane state update failed"));
  };

  if (await deps.registry.cancels.isCancelled(data.raceId)) {
    const result = placeholderLane(plan, "error", "cancelled before it started");
    record({ lane: plan.lane, agent: plan.agent, step: "done", status: "error", detail: "cancelled", at: Date.now() });
    return { result, logTail: "" };
  }
  const config = jobConfig(data.configText, deps.operator);
  const jobId = job.id ?? `lane-${data.raceId}-${plan.lane}`;
  // An earlier run of this lane whose worker died may have left its agent running on this host.
  await reapLaneOrphan(deps.agentGroups, jobId, log);
  // Fairness: no slot under the repo's or installation's limit → back of the queue, no attempt spent.
  const slot = await claimLaneSlot(deps.laneSlots, jobId, laneSlotLimits(config, deps.operator, data.repo.id, data.installationId), log);
  if (!slot.held) {
    const detail = slotWaitDetail(slot.full);
    const shown = (await deps.registry.races.lanes(data.raceId)).find((l) => l.lane === plan.lane);
    if (shown?.step !== "queued" || shown.detail !== detail) record({ lane: plan.lane, agent: plan.agent, step: "queued", detail, at: Date.now() });
    await job.moveToDelayed(Date.now() + slotRetryDelayMs(), token);
    throw new DelayedError();
  }
  deps.metrics?.laneStarted(job, data.raceId, plan.lane);
  const controller = cancellations.register(data.raceId);
  // SIGTERM: hand the job back without spending an attempt; another worker runs it again. Also when
  // the abort made the lane throw (mirror fetch, push) rather than return.
  const handBack = async (): Promise<boolean> => {
    if (!controller.signal.aborted || !cancellations.shuttingDown || (await deps.registry.cancels.isCancelled(data.raceId))) return false;
    log.info("lane handed back on shutdown");
    if (token) await job.moveToDelayed(Date.now() + 1000, token);
    return true;
  };
  try {
    const github = await deps.github.clientFor(data.installationId, data.repo, JOB_PERMISSIONS.lane);
    const budget = budgets?.guard({
      raceId: data.raceId, installationId: data.installationId, race: config.budget, perInstallationPerDay: deps.operator.budget.per_installation_usd_per_day,
    });
    const outcome = await runGitHubLane(
      { raceId: data.raceId, repo: data.repo, task: data.task, baseSha: data.baseSha, lanesTotal: data.lanesTotal, lane: plan, config },
      {
        github, gitAuth: (access) => gitAuthFor(deps.github, data.installationId, data.repo.name, access), cacheDir: deps.cacheDir, worktreeRoot: deps.worktreeRoot, sandbox: deps.sandbox,
        signal: controller.signal, isCancelled: () => deps.registry.cancels.isCancelled(data.raceId), onEvent: record, env: deps.env,
        onAgentSpawn: recordAgentGroups(deps.agentGroups, { jobId, raceId: data.raceId, lane: plan.lane }, log), budget,
      },
    ).catch(async (error: unknown) => {
      if (await handBack()) throw new DelayedError();
      throw error;
    });
    if (await handBack()) throw new DelayedError();
    await deps.registry.races.setLane(data.raceId, {
      lane: plan.lane, agent: plan.agent, approach: plan.approach, step: "done", status: outcome.result.status,
      detail: outcome.result.note ?? undefined, startedAt, updatedAt: Date.now(), result: outcome.result, logTail: outcome.logTail,
    });
    await deps.queues.scheduleStatus(data.raceId, data.installationId);
    log.info({ status: outcome.result.status }, "lane finished");
    deps.metrics?.laneFinished(outcome.result);
    return outcome;
  } finally {
    cancellations.release(data.raceId, controller);
    for (const next of await slot.release()) await deps.queues.wakeLane(next);
  }
}
