import type { Logger } from "pino";
import type { RepoConfig } from "../../config/repo-config.js";
import { UserError } from "../../errors.js";
import { laneBranchName, slugify } from "../../git/branch-name.js";
import { renderStatusComment } from "../../github/render/render-status-comment.js";
import { statusMarker } from "../../github/render/status-marker.js";
import type { RaceJob, TriggerJob } from "../../queue/job-data.js";
import type { LaneState, RaceMeta } from "../../model/race-state.js";
import { newRaceId } from "../../pipeline/new-race-id.js";
import { planLanes } from "../../pipeline/plan-lanes.js";
import { lanesSandboxed } from "./plan-agent.js";
import type { Command } from "../../commands/command.js";
import { capTaskText, TASK_CUT_NOTE } from "../../commands/cap-task-text.js";
import { openDependencies } from "./open-dependencies.js";
import { sanitizeTaskText } from "../../commands/sanitize-task-text.js";
import type { TriggerDeps } from "./trigger-deps.js";
import { JOB_VERSION } from "../../queue/job-data.js";

type RaceCommand = Extract<Command, { kind: "race" }>;

/**
 * Starts a race on an issue: one race per issue at a time, lanes planned from the command and
 * config, base pinned to the default branch's head now, a status comment, then the BullMQ flow.
 * A race whose declared dependencies are open, or whose repo runs `max_concurrent_races` races,
 * is parked as a wait job instead; a dependency cycle is reported. Safe to retry: the race id
 * derives from the delivery id. A cancel wins over a start still under way: the flow (or wait
 * job) is enqueued under the issue lock only if no cancel came first, else the race ends cancelled.
 */
export async function startRace(job: TriggerJob, command: RaceCommand, config: RepoConfig, configText: string | null, deps: TriggerDeps, log: Logger, single: boolean): Promise<string> {
  const reply = (body: string) => deps.github.comment(job.issue.number, body);
  const raceId = newRaceId(6, job.deliveryId);
  const receivedAt = deps.receivedAt ?? Date.now();
  const running = await deps.registry.issues.claim(job.repo.id, job.issue.number, raceId);
  if (running && running !== raceId) {
    await reply(`A race is already running on this issue (race \`${running}\`) — \`/cancel\` first.`);
    return "already-running";
  }
  try {
    const sandboxed = lanesSandboxed(deps.operator);
    let plans;
    try {
      plans = planLanes(config, { lanes: command.lanes, agents: command.agents, approaches: command.approaches, sandboxed });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await reply(`agent-race could not start: ${error.message}.`);
      await deps.registry.issues.release(job.repo.id, job.issue.number, raceId);
      return "invalid-plan";
    }
    const capped = capTaskText(sanitizeTaskText(`${job.issue.title}\n\n${job.issue.body}`).trim());
    const task = capped.text;
    const note = capped.cut ? TASK_CUT_NOTE : undefined;
    const dependencies = await openDependencies(job, deps);
    if (dependencies.cycle) {
      await reply(`agent-race could not start: the declared dependencies form a cycle (${dependencies.cycle.map((n) => `#${n}`).join(" → ")}), so the races would wait for each other forever. Remove one of the \`depends on\` / \`blocked by\` lines, then trigger again.`);
      await deps.registry.issues.release(job.repo.id, job.issue.number, raceId);
      return "dependency-cycle";
    }
    const waitingFor = dependencies.open;
    const waitsForSlot = waitingFor.length === 0 && !(await takeSlot(job.repo.id, raceId, config.max_concurrent_races, deps));
    const baseSha = await deps.github.branchSha(job.repo.defaultBranch);
    const slug = slugify(job.issue.title);
    const lanes = plans.map((plan) => ({
      lane: plan.lane, agent: plan.agentName, approach: plan.approach, port: plan.port, spec: plan.agent, sandboxed,
      branch: laneBranchName({ slug: `${job.issue.number}-${slug}`, raceId, lane: plan.lane, agent: plan.agentName }),
    }));
    const now = Date.now();
    const laneStates: LaneState[] = lanes.map((l) => ({ lane: l.lane, agent: l.agent, approach: l.approach, step: "queued", startedAt: null, updatedAt: now }));
    const mode = single ? "best" : config.mode;
    const race: RaceJob = {
      v: JOB_VERSION, raceId, installationId: job.installationId, repo: job.repo, issueNumber: job.issue.number, issueTitle: job.issue.title,
      task, baseSha, configText, lanesTotal: lanes.length,
      trigger: job.trigger.kind === "label" ? "label" : "comment", sender: job.sender.login, single, lanes, retry: null,
    };
    const waits = waitingFor.length > 0 || waitsForSlot;
    const reason = waitingFor.length > 0 ? ("dependency" as const) : ("slot" as const);
    const cancelled = async () => (await deps.registry.cancels.isCancelled(raceId)) || (await deps.registry.cancels.requestedSince(job.repo.id, job.issue.number, receivedAt));
    const early = await cancelled(); // nothing to show as queued when the cancel is already in
    const statusCommentId = await deps.github.upsertComment(job.issue.number, {
      marker: statusMarker(raceId),
      body: renderStatusComment({ raceId, state: early ? "cancelled" : waits ? "waiting" : "queued", lanes: laneStates, now, unsandboxed: deps.operator.sandbox.mode === "none", waiting: waits ? { for: waitingFor, reason } : undefined, message: early ? cancelledMessage(null) : note }),
    });
    const meta: RaceMeta = {
      raceId, installationId: job.installationId, repo: job.repo, issueNumber: job.issue.number, issueTitle: job.issue.title,
      task, baseSha, mode, single, sender: job.sender.login, state: waits ? "waiting" : "queued", statusCommentId, comparisonCommentId: null, createdAt: now,
      finishedAt: null, lanes: lanes.map(({ lane, agent, approach, branch }) => ({ lane, agent, approach, branch })), prs: {}, report: null, message: note ?? null, waiting: null,
    };
    await deps.registry.races.save(meta);
    await deps.registry.issues.setLast(job.repo.id, job.issue.number, raceId);
    for (const state of laneStates) await deps.registry.races.setLane(raceId, state);
    // The decisive step, under the issue lock that `/cancel` takes too: a cancel recorded before
    // it stops the race here; one after it finds the flow (or wait job) and stops that.
    const wait = await deps.registry.issues.withLock(job.repo.id, job.issue.number, async () => {
      if (await cancelled()) {
        await deps.registry.cancels.mark(raceId);
        await deps.registry.races.update(raceId, (m) => ({ ...m, state: "cancelled", waiting: null, finishedAt: Date.now(), message: cancelledMessage(m.message) }));
        await deps.registry.issues.release(job.repo.id, job.issue.number, raceId);
        return "cancelled" as const;
      }
      if (!waits) {
        // Labelled before the flow is queued: a race of instant lanes could otherwise finish (and
        // label the issue done) before this job's throttled label request went out.
        await deps.github.ensureLabels();
        await deps.github.setRaceState(job.issue.number, "running");
        await deps.queues.enqueueRace(race);
        return null;
      }
      const jobId = await deps.queues.enqueueWait({ v: JOB_VERSION, kind: "start", race, waitingFor, since: now });
      const waiting = { for: waitingFor, reason, jobId };
      await deps.registry.races.update(raceId, (m) => ({ ...m, waiting }));
      if (waitingFor.length > 0) await deps.registry.waits.waitFor(job.repo.id, waitingFor, raceId);
      else await deps.registry.waits.waitForSlot(job.repo.id, raceId, now);
      return waiting;
    });
    if (wait === "cancelled") return endCancelled(job, raceId, laneStates, deps, log, early);
    if (wait) await deps.github.ensureLabels();
    if (wait) {
      // What it waits for may have closed (or a slot freed) before the wait was registered.
      if (waitingFor.length > 0 ? (await deps.github.openIssues(waitingFor)).length === 0 : (await deps.registry.waits.runningRaces(job.repo.id)).length < config.max_concurrent_races) {
        await deps.queues.wake(wait.jobId);
      }
      log.info({ race: raceId, waitingFor, reason: wait.reason }, "race waiting");
      return "race-waiting";
    }
    log.info({ race: raceId, lanes: lanes.length }, "race queued");
    return "race-started";
  } catch (error) {
    await deps.registry.issues.release(job.repo.id, job.issue.number, raceId);
    await deps.registry.waits.releaseSlot(job.repo.id, raceId);
    throw error;
  }
}

/** A race cancelled before its flow was enqueued (its meta is already "cancelled" and its issue free): free its slot and say so. */
async function endCancelled(job: TriggerJob, raceId: string, lanes: LaneState[], deps: TriggerDeps, log: Logger, shown: boolean): Promise<string> {
  await deps.registry.waits.releaseSlot(job.repo.id, raceId);
  const meta = await deps.registry.races.get(raceId);
  if (!shown && meta) {
    await deps.github.upsertComment(job.issue.number, {
      marker: statusMarker(raceId), commentId: meta.statusCommentId,
      body: renderStatusComment({ raceId, state: "cancelled", lanes, now: Date.now(), unsandboxed: deps.operator.sandbox.mode === "none", ...(meta.message ? { message: meta.message } : {}) }),
    });
  }
  log.info({ race: raceId }, "race cancelled before it started");
  return "race-cancelled";
}

/** `/cancel`'s line ("Cancelled by @x; stopping agents…") with the ending that fits a race that never ran. */
function cancelledMessage(message: string | null): string {
  if (message?.includes("stopping agents…")) return message.replace("stopping agents…", "nothing had started.");
  return "Cancelled before it started; nothing ran.";
}

/** A race slot, unless other races are already queued for one (they go first). */
async function takeSlot(repoId: number, raceId: string, limit: number, deps: TriggerDeps): Promise<boolean> {
  if ((await deps.registry.waits.slotWaiters(repoId, 1)).length > 0) return false;
  return deps.registry.waits.acquireSlot(repoId, raceId, limit);
}
