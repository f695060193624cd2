import type { Logger } from "pino";
import { resolveServerConfig } from "../../config/agents/resolve-server-config.js";
import type { OperatorConfig } from "../../config/operator-config.js";
import type { GitAccess, GitAuth } from "../../git/auth-scope.js";
import type { RepoClient } from "../../github/repo-client.js";
import type { AppMetrics } from "../../metrics/app-metrics.js";
import type { GitHubLaneResult } from "../../model/github-lane-result.js";
import type { PrFilesStore } from "../../model/overlap.js";
import type { LaneResult } from "../../model/race-report.js";
import { JOB_VERSION, type RaceJob } from "../../queue/job-data.js";
import type { JobQueues } from "../../queue/job-queues.js";
import { wakeRace } from "../../queue/wake-race.js";
import type { RaceRegistry } from "../../redis/race-registry.js";
import { checkOverlap, type OverlapVerdict } from "./check-overlap.js";
import { finishGitHubRace } from "./finish-github-race.js";
import { releaseRaceSlot } from "./release-race-slot.js";

/** What completing a race needs: the race's repository on GitHub, the registry and queues, and the finish lock. */
export interface CompleteRaceDeps {
  github: RepoClient;
  /** A fresh token for git on the race's repository (the overlap check reads the mirror). */
  gitAuth: (access: GitAccess) => Promise<GitAuth>;
  registry: RaceRegistry;
  queues: JobQueues;
  /** The open PRs' files, cached by head SHA across races. */
  prFiles: PrFilesStore;
  /** Runs `fn` holding the repository's finish lock (across workers); `unlock` lets the next race in early. */
  withFinishLock<T>(repoId: number, fn: (unlock: () => Promise<void>) => Promise<T>): Promise<T>;
  operator: OperatorConfig;
  cacheDir: string;
  log: Logger;
  metrics?: AppMetrics | undefined;
}

export type CompleteOutcome = { kind: "finished"; winner: number | null; prs: number[] } | { kind: "waiting"; for: number[] };

/**
 * The end of a race, from its lanes' results: the overlap check, then either the PRs and the
 * comparison (finishGitHubRace), or — when a lane about to open a PR conflicts with another
 * race's open PR — a wait for that PR to be merged or closed (a `resume` wait job). Finishing is
 * serialized per repository, so of two races that conflict the later one always sees the
 * earlier one's PR. Either way the race's slot is freed for the next waiting race.
 */
export async function completeRace(data: RaceJob, lanes: GitHubLaneResult[], deps: CompleteRaceDeps, log: Logger): Promise<CompleteOutcome> {
  const cancelled = await deps.registry.cancels.isCancelled(data.raceId);
  const { github } = deps;
  // Validated when the race started; should it fail now, PRs stay drafts and failing lanes count as unpushed.
  const config = (() => {
    try {
      return resolveServerConfig(data.configText, deps.operator);
    } catch {
      return null;
    }
  })();
  const outcome = await deps.withFinishLock(data.repo.id, async (unlock): Promise<CompleteOutcome> => {
    const meta = await deps.registry.races.get(data.raceId);
    const overlap = cancelled ? undefined : await overlapVerdict(data, lanes.map((l) => l.result), deps);
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
async function otherRacesPrs(data: RaceJob, chosen: readonly LaneResult[], overlap: OverlapVerdict, deps: CompleteRaceDeps): Promise<RacePr[]> {
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
async function waitForMerge(data: RaceJob, lanes: GitHubLaneResult[], found: RacePr[], deps: CompleteRaceDeps): Promise<void> {
  const states = await deps.registry.races.lanes(data.raceId);
  for (const { result, logTail } of lanes) {
    const state = states.find((s) => s.lane === result.lane);
    await deps.registry.races.setLane(data.raceId, {
      lane: result.lane, agent: result.agent, approach: result.approach, startedAt: state?.startedAt ?? null, updatedAt: state?.updatedAt ?? Date.now(),
      step: "done", status: result.status, detail: result.note ?? undefined, result, logTail,
    });
  }
  const prs = found.map((f) => f.pr);
  const jobId = await deps.queues.enqueueWait({ v: JOB_VERSION, kind: "resume", race: data, waitingFor: prs, since: Date.now() });
  await deps.registry.waits.waitFor(data.repo.id, prs, data.raceId);
  const why = found.map((f) => `lane ${f.lane} conflicts with #${f.pr} (the pull request of the race on #${f.otherIssue}) in ${f.conflicts.map((c) => `\`${c}\``).join(", ")}`).join("; ");
  await deps.registry.races.update(data.raceId, (m) => ({
    ...m, state: "waiting", waiting: { for: prs, reason: "merge", jobId },
    message: `Finished, but ${why}. Once ${prs.map((n) => `#${n}`).join(", ")} is merged or closed, the lanes are rebased onto the new base, their evals re-run, and then the pull request is opened.`,
  }));
}

/** The overlap check; a failure there (GitHub down, a PR gone) is logged and the race goes on. */
async function overlapVerdict(data: RaceJob, lanes: LaneResult[], deps: CompleteRaceDeps): Promise<OverlapVerdict | undefined> {
  try {
    const policy = resolveServerConfig(data.configText, deps.operator).overlap;
    return await checkOverlap(
      { raceId: data.raceId, repo: data.repo, baseSha: data.baseSha, lanes, policy },
      { github: deps.github, cache: deps.prFiles, cacheDir: deps.cacheDir, gitAuth: deps.gitAuth },
    );
  } catch (error) {
    deps.log.warn({ race: data.raceId, err: (error as Error).message }, "overlap check failed");
    return undefined;
  }
}
