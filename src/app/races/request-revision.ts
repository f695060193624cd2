import type { Logger } from "pino";
import { resolveServerConfig } from "../../config/agents/resolve-server-config.js";
import type { RaceMeta } from "../../model/race-state.js";
import type { TriggerJob } from "../../queue/job-data.js";
import { buildRevisionTask, type ReviewComment } from "../../commands/build-revision-task.js";
import { planAgent } from "./plan-agent.js";
import type { TriggerDeps } from "./trigger-deps.js";
import { JOB_VERSION } from "../../queue/job-data.js";

export interface RevisionRequest {
  prNumber: number;
  lane: number;
  /** The review body or the `/revise` instructions. */
  body: string;
  /** The review whose comments (all of them, with path, line and hunk) go to the agent. */
  reviewId: number | null;
  /** `/revise with <agent>`: another agent than the lane's own. */
  agent: string | null;
}

/** Queues a revision of a generated PR: the lane's agent (or another) gets the review and pushes a new commit. */
export async function requestRevision(job: TriggerJob, meta: RaceMeta, request: RevisionRequest, deps: TriggerDeps, log: Logger): Promise<string> {
  const plan = meta.lanes.find((l) => l.lane === request.lane);
  if (!plan) return "unknown-lane";
  let comments: ReviewComment[] = [];
  if (request.reviewId !== null) {
    // Every comment of the review is the reviewer's own, and the reviewer was authorized.
    comments = (await deps.github.reviewComments(request.prNumber, request.reviewId)).map((c) => ({ ...c, author: c.author ?? job.sender.login }));
  }
  const configText = await deps.github.configText(meta.repo.defaultBranch);
  const config = resolveServerConfig(configText, deps.operator);
  const agent = request.agent ?? plan.agent;
  if (!config.agents[agent]) {
    await deps.github.comment(request.prNumber, `agent-race cannot revise with \`${agent}\`: this server offers ${Object.keys(config.agents).map((a) => `\`${a}\``).join(", ")}.`);
    return "unknown-agent";
  }
  const port = config.ports.base + plan.lane;
  await deps.queues.enqueueRevision({
    v: JOB_VERSION, raceId: meta.raceId, installationId: job.installationId, repo: meta.repo, prNumber: request.prNumber,
    lane: { lane: plan.lane, agent, approach: plan.approach, branch: plan.branch, port, ...planAgent(config, agent, deps.operator) },
    task: buildRevisionTask({ originalTask: meta.task, reviewer: job.sender.login, body: request.body, comments }),
    configText, requestedBy: job.sender.login, deliveryId: job.deliveryId,
  });
  log.info({ race: meta.raceId, lane: plan.lane, pr: request.prNumber, comments: comments.length }, "revision queued");
  return "revision-queued";
}
