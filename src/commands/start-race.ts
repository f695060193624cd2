import type { Logger } from "pino";
import type { RepoConfig } from "../config/repo-config.js";
import { UserError } from "../errors.js";
import { laneBranchName, slugify } from "../git/branch-name.js";
import { ensureLabels, setRaceState } from "../github/race-labels.js";
import { renderStatusComment } from "../github/render-status-comment.js";
import { statusMarker } from "../github/status-marker.js";
import { upsertComment } from "../github/upsert-comment.js";
import type { RaceJob, TriggerJob } from "../queue/job-data.js";
import type { LaneState, RaceMeta } from "../queue/race-state.js";
import { newRaceId } from "../pipeline/new-race-id.js";
import { planLanes } from "../pipeline/plan-lanes.js";
import type { Command } from "./command.js";
import { sanitizeTaskText } from "./sanitize-task-text.js";
import type { TriggerDeps } from "./trigger-deps.js";

type RaceCommand = Extract<Command, { kind: "race" }>;

/**
 * Starts a race on an issue: one race per issue at a time, lanes planned from the command and
 * config, base pinned to the default branch's head now, a status comment, then the BullMQ flow.
 * Safe to retry: the race id derives from the delivery id.
 */
export async function startRace(job: TriggerJob, command: RaceCommand, config: RepoConfig, configText: string | null, deps: TriggerDeps, log: Logger, single: boolean): Promise<string> {
  const repo = { owner: job.repo.owner, repo: job.repo.name };
  const reply = (body: string) => deps.octokit.rest.issues.createComment({ ...repo, issue_number: job.issue.number, body });
  const raceId = newRaceId(6, job.deliveryId);
  const running = await deps.registry.claimIssue(job.repo.id, job.issue.number, raceId);
  if (running && running !== raceId) {
    await reply(`A race is already running on this issue (race \`${running}\`) — \`/cancel\` first.`);
    return "already-running";
  }
  try {
    let plans;
    try {
      plans = planLanes(config, { lanes: command.lanes, agents: command.agents, approaches: command.approaches });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await reply(`agent-race could not start: ${error.message}.`);
      await deps.registry.releaseIssue(job.repo.id, job.issue.number, raceId);
      return "invalid-plan";
    }
    const task = sanitizeTaskText(`${job.issue.title}\n\n${job.issue.body}`).trim();
    const base = await deps.octokit.rest.repos.getBranch({ ...repo, branch: job.repo.defaultBranch });
    const slug = slugify(job.issue.title);
    const lanes = plans.map((plan) => ({
      lane: plan.lane, agent: plan.agentName, approach: plan.approach, port: plan.port,
      branch: laneBranchName({ slug: `${job.issue.number}-${slug}`, raceId, lane: plan.lane, agent: plan.agentName }),
    }));
    const now = Date.now();
    const laneStates: LaneState[] = lanes.map((l) => ({ lane: l.lane, agent: l.agent, approach: l.approach, step: "queued", startedAt: null, updatedAt: now }));
    const mode = single ? "best" : config.mode;
    const statusCommentId = await upsertComment(deps.octokit, repo, job.issue.number, {
      marker: statusMarker(raceId),
      body: renderStatusComment({ raceId, state: "queued", lanes: laneStates, now }),
    });
    const meta: RaceMeta = {
      raceId, installationId: job.installationId, repo: job.repo, issueNumber: job.issue.number, issueTitle: job.issue.title,
      task, baseSha: base.data.commit.sha, mode, single, sender: job.sender.login, state: "queued", statusCommentId, comparisonCommentId: null, createdAt: now,
      finishedAt: null, lanes: lanes.map(({ lane, agent, approach, branch }) => ({ lane, agent, approach, branch })), prs: {}, report: null, message: null,
    };
    await deps.registry.saveMeta(meta);
    await deps.registry.setIssueRace(job.repo.id, job.issue.number, raceId);
    for (const state of laneStates) await deps.registry.setLane(raceId, state);
    await ensureLabels(deps.octokit, repo);
    await setRaceState(deps.octokit, repo, job.issue.number, "running");
    const race: RaceJob = {
      v: 1, raceId, installationId: job.installationId, repo: job.repo, issueNumber: job.issue.number, issueTitle: job.issue.title,
      task, baseSha: base.data.commit.sha, configText, lanesTotal: lanes.length,
      trigger: job.trigger.kind === "label" ? "label" : "comment", sender: job.sender.login, single, lanes, retry: null,
    };
    await deps.queues.enqueueRace(race);
    log.info({ race: raceId, lanes: lanes.length }, "race queued");
    return "race-started";
  } catch (error) {
    await deps.registry.releaseIssue(job.repo.id, job.issue.number, raceId);
    throw error;
  }
}
