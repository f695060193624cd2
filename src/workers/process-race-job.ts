import { UnrecoverableError, type Job } from "bullmq";
import type { GitHubLaneResult } from "../pipeline/github-lane-result.js";
import { finishGitHubRace } from "../pipeline/finish-github-race.js";
import { placeholderLane } from "../pipeline/placeholder-lane.js";
import { raceJobSchema } from "../queue/job-data.js";
import type { WorkerDeps } from "./worker-deps.js";

/**
 * The race worker: runs once every lane job has finished (or finally failed), collects the lane
 * results and hands them to the finisher, then records the outcome and frees the issue.
 */
export async function processRaceJob(job: Job, deps: WorkerDeps): Promise<{ winner: number | null; prs: number[] }> {
  const parsed = raceJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid race job data: ${parsed.error.message}`);
  const data = parsed.data;
  const log = deps.log.child({ race: data.raceId });
  const values = (await job.getChildrenValues()) as Record<string, GitHubLaneResult>;
  const failures = await job.getIgnoredChildrenFailures();
  const lanes = data.lanes.map((plan): GitHubLaneResult => {
    const suffix = `:lane-${data.raceId}-${plan.lane}`;
    const value = Object.entries(values).find(([key]) => key.endsWith(suffix))?.[1];
    if (value) return value;
    const failure = Object.entries(failures).find(([key]) => key.endsWith(suffix))?.[1];
    return { result: placeholderLane(plan, "error", `the lane job failed: ${failure ?? "unknown error"}`), logTail: "" };
  });
  const meta = await deps.registry.updateMeta(data.raceId, (m) => ({ ...m, state: "finishing" }));
  await deps.queues.scheduleStatus(data.raceId, data.installationId, { now: true });
  const cancelled = await deps.registry.isCancelled(data.raceId);
  const octokit = await deps.github.octokitFor(data.installationId);
  const outcome = await finishGitHubRace(
    {
      raceId: data.raceId, repo: data.repo, issueNumber: data.issueNumber, issueTitle: data.issueTitle, task: data.task,
      baseSha: data.baseSha, mode: meta?.mode ?? "best", startedAt: new Date(meta?.createdAt ?? job.timestamp), lanes, cancelled,
      comparisonCommentId: meta?.comparisonCommentId ?? null,
    },
    octokit,
  );
  for (const [lane, pr] of Object.entries(outcome.prs)) await deps.registry.linkPullRequest(data.repo.id, pr.number, data.raceId, Number(lane));
  await deps.registry.updateMeta(data.raceId, (m) => ({
    ...m, state: cancelled ? "cancelled" : outcome.report.winner === null ? "failed" : "done", report: outcome.report, prs: outcome.prs,
    comparisonCommentId: outcome.comparisonCommentId, finishedAt: Date.now(),
    message: cancelled ? m.message?.replace("stopping agents…", "agents stopped and branches deleted.") ?? "Cancelled." : m.message,
  }));
  await deps.registry.releaseIssue(data.repo.id, data.issueNumber, data.raceId);
  await deps.queues.scheduleStatus(data.raceId, data.installationId, { now: true });
  log.info({ winner: outcome.report.winner, prs: Object.keys(outcome.prs).length, cancelled }, "race finished");
  return { winner: outcome.report.winner, prs: Object.values(outcome.prs).map((pr) => pr.number) };
}
