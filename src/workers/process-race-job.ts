import { UnrecoverableError, type Job } from "bullmq";
import type { GitHubLaneResult } from "../pipeline/github-lane-result.js";
import { finishGitHubRace } from "../pipeline/finish-github-race.js";
import { placeholderLane } from "../pipeline/placeholder-lane.js";
import type { LaneResult } from "../pipeline/race-report.js";
import { raceJobSchema, type RaceJob } from "../queue/job-data.js";
import { resolveServerConfig } from "../config/resolve-server-config.js";
import type { GitHubClient } from "../github/github-client.js";
import { PrFilesCache } from "../overlap/pr-files-cache.js";
import { checkOverlap, type OverlapVerdict } from "../pipeline/check-overlap.js";
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
  const ran = data.lanes.map((plan): GitHubLaneResult => {
    const mine = new RegExp(`:lane-${data.raceId}-${plan.lane}(-r\\d+)?$`);
    const value = Object.entries(values).find(([key]) => mine.test(key))?.[1];
    if (value) return value;
    const failure = Object.entries(failures).find(([key]) => mine.test(key))?.[1];
    return { result: placeholderLane(plan, "error", `the lane job failed: ${failure ?? "unknown error"}`), logTail: "" };
  });
  const meta = await deps.registry.updateMeta(data.raceId, (m) => ({ ...m, state: "finishing" }));
  // A `/retry` re-ran some lanes: the others keep their results from the race's last report.
  const retried = new Set(data.lanes.map((l) => l.lane));
  const kept = data.retry && meta?.report ? await keptLanes(meta.report.lanes.filter((l) => !retried.has(l.lane)), data.raceId, deps) : [];
  const lanes = [...kept, ...ran];
  await deps.queues.scheduleStatus(data.raceId, data.installationId, { now: true });
  const cancelled = await deps.registry.isCancelled(data.raceId);
  const octokit = await deps.github.octokitFor(data.installationId);
  const overlap = cancelled ? undefined : await overlapVerdict(data, lanes.map((l) => l.result), octokit, deps);
  const outcome = await finishGitHubRace(
    {
      raceId: data.raceId, repo: data.repo, issueNumber: data.issueNumber, issueTitle: data.issueTitle, task: data.task,
      baseSha: data.baseSha, mode: meta?.mode ?? "best", startedAt: new Date(meta?.createdAt ?? job.timestamp), lanes, cancelled,
      comparisonCommentId: meta?.comparisonCommentId ?? null, previousPrs: meta?.prs ?? {}, overlap,
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
  deps.metrics?.raceFinished(cancelled ? "cancelled" : outcome.report.winner === null ? "failed" : "done");
  log.info({ winner: outcome.report.winner, prs: Object.keys(outcome.prs).length, cancelled }, "race finished");
  return { winner: outcome.report.winner, prs: Object.values(outcome.prs).map((pr) => pr.number) };
}

async function keptLanes(results: LaneResult[], raceId: string, deps: WorkerDeps): Promise<GitHubLaneResult[]> {
  const states = await deps.registry.getLanes(raceId);
  return results.map((result) => ({ result, logTail: states.find((s) => s.lane === result.lane)?.logTail ?? "" }));
}

/** The overlap check; a failure there (GitHub down, a PR gone) is logged and the race goes on. */
async function overlapVerdict(data: RaceJob, lanes: LaneResult[], octokit: GitHubClient, deps: WorkerDeps): Promise<OverlapVerdict | undefined> {
  try {
    const policy = resolveServerConfig(data.configText, deps.operator).overlap;
    return await checkOverlap(
      { raceId: data.raceId, repo: data.repo, baseSha: data.baseSha, lanes, policy },
      { octokit, cache: new PrFilesCache(deps.connection, deps.prefix), cacheDir: deps.cacheDir, getToken: () => deps.github.tokenFor(data.installationId) },
    );
  } catch (error) {
    deps.log.warn({ race: data.raceId, err: (error as Error).message }, "overlap check failed");
    return undefined;
  }
}
