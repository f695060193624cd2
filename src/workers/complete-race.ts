import type { Logger } from "pino";
import { resolveServerConfig } from "../config/agents/resolve-server-config.js";
import type { RepoClient } from "../github/repo-client.js";
import { PrFilesCache } from "../redis/pr-files-cache.js";
import { checkOverlap, type OverlapVerdict } from "../app/races/check-overlap.js";
import { finishGitHubRace } from "../app/races/finish-github-race.js";
import type { GitHubLaneResult } from "../model/github-lane-result.js";
import type { LaneResult } from "../model/race-report.js";
import type { RaceJob } from "../queue/job-data.js";
import { wakeRace } from "../queue/wake-race.js";
import { withRedisLock } from "../redis/with-redis-lock.js";
import { releaseRaceSlot } from "./release-race-slot.js";
import { gitAuthFor } from "./git-auth-for.js";
import type { WorkerDeps } from "./worker-deps.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";

export type CompleteOutcome = { kind: "finished"; winner: number | null; prs: number[] } | { kind: "waiting"; for: number[] };

/**
 * The end of a race, from its lanes' results: the overlap check, then either the PRs and the
 * comparison (finishGitHubRace), or — when a lane about to open a PR conflicts with another
 * race's open PR — a wait for that PR to be merged or closed (a `resume` wait job). Finishing is
 * serialized per repository, so of two races that conflict the later one always sees the
 * earlier one's PR. Either way the race's slot is freed for the next waiting race.
 */
export async function completeRace(data: RaceJob, lanes: GitHubLaneResult[], deps: WorkerDeps, log: Logger): Promise<CompleteOutcome> {
  const cancelled = await deps.registry.cancels.isCancelled(data.raceId);
  const github = await deps.github.clientFor(data.installationId, data.repo, JOB_PERMISSIONS.race);
  // Validated when the race started; should it fail now, PRs stay drafts and failing lanes count as unpushed.
  const config = (() => {
    try {
      return resolveServerConfig(data.configText, deps.operator);
    } catch {
      return null;
    }
  })();
  const outcome = await withRedisLock(deps.connection, `${deps.prefix}:finish-lock:${data.repo.id}`, async (unlock): Promise<CompleteOutcome> => {
    const meta = await deps.registry.races.get(data.raceId);
    const overlap = cancelled ? undefined : await overlapVerdict(data, lanes.map((l) => l.result), github, deps);
    let waitFor: number[] = [];
    const finished = await finishGitHubRace(
      {
        raceId: data.raceId, repo: data.repo, issueNumber: data.issueNumber, issueTitle: data.issueTitle, task: data.task,
        baseSha: data.baseSha, mode: meta?.mode ?? "best", startedAt: new Date(meta?.createdAt ?? Date.now()), lanes, cancelled,
        comparisonCommentId: meta?.comparisonCommentId ?? null, previousPrs: meta?.prs ?? {}, overlap,
        draft: config?.draft ?? true, pushFailed: config?.push_failed ?? false,
        // Once this race's PRs exist, the next race of the repo can check against them.
        prsOpened: unlock,
        hold: async (chosen) => {
          const found = overlap ? await otherRacesPrs(data, chosen, overlap, deps) : [];
          waitFor = found.map((f) => f.pr);
          if (found.length === 0) return false;
          await waitForMerge(data, lanes, found, deps);
          return true;
        },
      },
      github,
    );
    if (finished.held) return { kind: "waiting", for: waitFor };
    for (const [lane, pr] of Object.entries(finished.prs)) await deps.registry.pullRequests.link(data.repo.id, pr.number, data.raceId, Number(lane));
    const state = cancelled ? "cancelled" : finished.report.winner === null ? "failed" : "done";
    await deps.registry.races.update(data.raceId, (m) => ({
      ...m, state, report: finished.report, prs: finished.prs, comparisonCommentId: finished.comparisonCommentId, finishedAt: Date.now(), waiting: null,
      message: cancelled ? m.message?.replace("stopping agents…", "agents stopped and branches deleted.") ?? "Cancelled." : m.message,
    }));
    await deps.registry.issues.release(data.repo.id, data.issueNumber, data.raceId);
    deps.metrics?.raceFinished(state);
    log.info({ winner: finished.report.winner, prs: Object.keys(finished.prs).length, cancelled }, "race finished");
    return { kind: "finished", winner: finished.report.winner, prs: Object.values(finished.prs).map((pr) => pr.number) };
  });
  await deps.queues.scheduleStatus(data.raceId, data.installationId, { now: true });
  await releaseRaceSlot(data, deps);
  if (outcome.kind === "waiting") {
    // Merged or closed while we parked it: the webhook may have come before we registered.
    if ((await github.openIssues(outcome.for)).length === 0) await wakeRace(data.raceId, deps);
  }
  return outcome;
}

interface RacePr {
  pr: number;
  lane: number;
  otherIssue: number;
  conflicts: string[];
}

/** Conflicts of the lanes about to open PRs with open PRs of other races (on other issues). */
async function otherRacesPrs(data: RaceJob, chosen: readonly LaneResult[], overlap: OverlapVerdict, deps: WorkerDeps): Promise<RacePr[]> {
  const lanes = new Set(chosen.map((l) => l.lane));
  const found: RacePr[] = [];
  for (const o of overlap.overlaps) {
    if (o.kind !== "conflict" || !lanes.has(o.lane) || found.some((f) => f.pr === o.pr.number)) continue;
    const link = await deps.registry.pullRequests.laneOf(data.repo.id, o.pr.number);
    if (!link || link.raceId === data.raceId) continue;
    const other = await deps.registry.races.get(link.raceId);
    if (!other || other.issueNumber === data.issueNumber) continue;
    found.push({ pr: o.pr.number, lane: o.lane, otherIssue: other.issueNumber, conflicts: o.conflicts });
  }
  return found;
}

/** Parks the race: its lane results stay in the registry, a `resume` job waits for the PRs. */
async function waitForMerge(data: RaceJob, lanes: GitHubLaneResult[], found: RacePr[], deps: WorkerDeps): Promise<void> {
  const states = await deps.registry.races.lanes(data.raceId);
  for (const { result, logTail } of lanes) {
    const state = states.find((s) => s.lane === result.lane);
    await deps.registry.races.setLane(data.raceId, {
      lane: result.lane, agent: result.agent, approach: result.approach, startedAt: state?.startedAt ?? null, updatedAt: state?.updatedAt ?? Date.now(),
      step: "done", status: result.status, detail: result.note ?? undefined, result, logTail,
    });
  }
  const prs = found.map((f) => f.pr);
  const jobId = await deps.queues.enqueueWait({ v: 1, kind: "resume", race: data, waitingFor: prs, since: Date.now() });
  await deps.registry.waits.waitFor(data.repo.id, prs, data.raceId);
  const why = found.map((f) => `lane ${f.lane} conflicts with #${f.pr} (the pull request of the race on #${f.otherIssue}) in ${f.conflicts.map((c) => `\`${c}\``).join(", ")}`).join("; ");
  await deps.registry.races.update(data.raceId, (m) => ({
    ...m, state: "waiting", waiting: { for: prs, reason: "merge", jobId },
    message: `Finished, but ${why}. Once ${prs.map((n) => `#${n}`).join(", ")} is merged or closed, the lanes are rebased onto the new base, their evals re-run, and then the pull request is opened.`,
  }));
}

/** The overlap check; a failure there (GitHub down, a PR gone) is logged and the race goes on. */
async function overlapVerdict(data: RaceJob, lanes: LaneResult[], github: RepoClient, deps: WorkerDeps): Promise<OverlapVerdict | undefined> {
  try {
    const policy = resolveServerConfig(data.configText, deps.operator).overlap;
    return await checkOverlap(
      { raceId: data.raceId, repo: data.repo, baseSha: data.baseSha, lanes, policy },
      { github, cache: new PrFilesCache(deps.connection, deps.prefix), cacheDir: deps.cacheDir, gitAuth: (access) => gitAuthFor(deps.github, data.installationId, data.repo.name, access) },
    );
  } catch (error) {
    deps.log.warn({ race: data.raceId, err: (error as Error).message }, "overlap check failed");
    return undefined;
  }
}
