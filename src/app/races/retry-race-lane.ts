import type { Logger } from "pino";
import { resolveServerConfig } from "../../config/agents/resolve-server-config.js";
import type { RaceMeta } from "../../model/race-state.js";
import type { TriggerJob } from "../../queue/job-data.js";
import { planAgent } from "./plan-agent.js";
import type { TriggerDeps } from "./trigger-deps.js";
import { JOB_VERSION } from "../../queue/job-data.js";

/** `/retry N`: runs lane N again from the race's base with a fresh worktree, same agent and approach. */
export async function retryRaceLane(job: TriggerJob, meta: RaceMeta, lane: number, deps: TriggerDeps, log: Logger): Promise<string> {
  const reply = (body: string) => deps.github.comment(meta.issueNumber, body);
  const plan = meta.lanes.find((l) => l.lane === lane);
  if (!plan) return reply(`This race has no lane ${lane}; lanes: ${meta.lanes.map((l) => l.lane).join(", ")}.`).then(() => "unknown-lane");
  if (meta.mergedPr) return reply(`This race is finished: #${meta.mergedPr} was merged.`).then(() => "race-finished");
  const running = await deps.registry.issues.claim(meta.repo.id, meta.issueNumber, meta.raceId);
  if (running && running !== meta.raceId) return reply(`A race is already running on this issue (race \`${running}\`) — \`/cancel\` first.`).then(() => "already-running");
  if (meta.state !== "done" && meta.state !== "failed") {
    if (!running) await deps.registry.issues.release(meta.repo.id, meta.issueNumber, meta.raceId);
    return reply("The race is still running; retry a lane once it has finished.").then(() => "not-finished");
  }
  const configText = await deps.github.configText(meta.repo.defaultBranch);
  const config = resolveServerConfig(configText, deps.operator);
  const attempt = (meta.retries ?? 0) + 1;
  await deps.registry.races.update(meta.raceId, (m) => ({ ...m, state: "queued", retries: attempt, finishedAt: null, message: `Retrying lane ${lane} for @${job.sender.login}.` }));
  await deps.registry.races.setLane(meta.raceId, { lane, agent: plan.agent, approach: plan.approach, step: "queued", startedAt: null, updatedAt: Date.now() });
  await deps.queues.enqueueRace({
    v: JOB_VERSION, raceId: meta.raceId, installationId: job.installationId, repo: meta.repo, issueNumber: meta.issueNumber, issueTitle: meta.issueTitle,
    task: meta.task, baseSha: meta.baseSha, configText, lanesTotal: meta.lanes.length, trigger: "retry", sender: job.sender.login,
    single: meta.single, lanes: [{ ...plan, port: config.ports.base + lane, ...planAgent(config, plan.agent, deps.operator) }], retry: { attempt },
  });
  await deps.queues.scheduleStatus(meta.raceId, job.installationId, { now: true });
  log.info({ race: meta.raceId, lane, attempt }, "lane retry queued");
  return "retry-queued";
}
