import type { Logger } from "pino";
import { resolveServerConfig } from "../../config/agents/resolve-server-config.js";
import type { OperatorConfig } from "../../config/operator-config.js";
import type { GitAccess, GitAuth } from "../../git/auth-scope.js";
import type { IssueState } from "../../github/fetch-issue-state.js";
import type { RepoClient } from "../../github/repo-client.js";
import type { GitHubLaneResult } from "../../model/github-lane-result.js";
import type { RaceMeta } from "../../model/race-state.js";
import type { WaitJob } from "../../queue/job-data.js";
import type { JobQueues } from "../../queue/job-queues.js";
import type { RaceRegistry } from "../../redis/race-registry.js";
import type { LaneSandboxConfig } from "../../sandbox/resolve-lane-sandbox.js";
import { completeRace, type CompleteRaceDeps } from "./complete-race.js";
import { rebaseGitHubLane } from "./rebase-github-lane.js";

/** What checking a waiting race needs; `completeDeps` is built only when the race completes. */
export interface WaitRaceDeps {
  github: RepoClient;
  gitAuth: (access: GitAccess) => Promise<GitAuth>;
  registry: RaceRegistry;
  queues: JobQueues;
  operator: OperatorConfig;
  cacheDir: string;
  worktreeRoot: string;
  sandbox: LaneSandboxConfig | null;
  env?: NodeJS.ProcessEnv | undefined;
  log: Logger;
  completeDeps: () => Promise<CompleteRaceDeps>;
}

/** `park`: still waiting; the caller parks the job again for the backstop delay. */
export type WaitOutcome = "stale" | "park" | "started" | "cancelled" | "resumed:finished" | "resumed:waiting";

/**
 * A waiting race's job, run when woken (or by its backstop delay). It re-checks what the race
 * waits for and parks itself again if anything is still open. `start`: take a race slot, pin the
 * base to the default branch's head now and enqueue the race's flow. `resume`: rebase the lanes
 * that passed onto the new head, re-run their evals, and complete the race.
 */
export async function waitRace(data: WaitJob, jobId: string | undefined, deps: WaitRaceDeps): Promise<WaitOutcome> {
  const { race } = data;
  const log = deps.log.child({ race: race.raceId, wait: data.kind });
  const meta = await deps.registry.races.get(race.raceId);
  const waiting = meta?.waiting;
  if (!meta || meta.state !== "waiting" || !waiting || waiting.jobId !== jobId) return "stale";
  const { github } = deps;
  const { waits } = deps.registry;
  if (await deps.registry.cancels.isCancelled(race.raceId)) return cancelWaiting(data, deps, log);

  const parkAgain = async (waiting: NonNullable<RaceMeta["waiting"]>): Promise<"park"> => {
    await deps.registry.races.update(race.raceId, (m) => ({ ...m, waiting }));
    await deps.queues.scheduleStatus(race.raceId, race.installationId, { now: true });
    return "park";
  };
  const states = await Promise.all(data.waitingFor.map((n) => github.issueState(n)));
  const open = data.waitingFor.filter((_, i) => states[i]?.open);
  if (open.length > 0) return parkAgain({ ...waiting, for: open });
  await waits.stopWaiting(race.repo.id, data.waitingFor, race.raceId);
  const base = await github.branchSha(race.repo.defaultBranch);

  if (data.kind === "start") {
    const config = resolveServerConfig(race.configText, deps.operator);
    if (!(await waits.acquireSlot(race.repo.id, race.raceId, config.max_concurrent_races))) {
      await waits.waitForSlot(race.repo.id, race.raceId, data.since);
      return parkAgain({ ...waiting, for: [], reason: "slot" });
    }
    await deps.registry.races.update(race.raceId, (m) => ({
      ...m, state: "queued", baseSha: base, waiting: null,
      message: data.waitingFor.length > 0 ? `Started from \`${base.slice(0, 7)}\` once ${data.waitingFor.map((n) => `#${n}`).join(", ")} closed.` : m.message,
    }));
    await github.setRaceState(race.issueNumber, "running");
    await deps.queues.enqueueRace({ ...race, baseSha: base });
    await deps.queues.scheduleStatus(race.raceId, race.installationId, { now: true });
    log.info({ base, waited: data.waitingFor }, "waiting race started");
    return "started";
  }

  // resume: rebase every lane that could open a PR onto the new base, then complete the race again.
  const reason = howClosed(data.waitingFor, states);
  const moved = base !== race.baseSha;
  await deps.registry.races.update(race.raceId, (m) => ({
    ...m, state: "finishing", waiting: null, baseSha: base,
    message: moved ? `${capitalize(reason)}: the lanes that passed are rebased onto \`${base.slice(0, 7)}\` and their evals re-run before any pull request opens.` : `${capitalize(reason)}; finishing.`,
  }));
  await deps.queues.scheduleStatus(race.raceId, race.installationId, { now: true });
  const config = resolveServerConfig(race.configText, deps.operator);
  const lanes: GitHubLaneResult[] = [];
  for (const state of await deps.registry.races.lanes(race.raceId)) {
    if (!state.result) continue;
    const lane = { result: state.result, logTail: state.logTail ?? "" };
    if (state.result.status !== "passed" || !state.result.head || !moved) {
      lanes.push(lane);
      continue;
    }
    const plan = race.lanes.find((l) => l.lane === state.lane);
    const rebased = await rebaseGitHubLane(
      { raceId: race.raceId, repo: race.repo, lane: state.result, port: plan?.port ?? config.ports.base + state.lane, newBase: base, config, reason },
      { github, gitAuth: deps.gitAuth, cacheDir: deps.cacheDir, worktreeRoot: deps.worktreeRoot, sandbox: deps.sandbox, env: deps.env },
    );
    await deps.registry.races.setLane(race.raceId, { ...state, status: rebased.result.status, detail: rebased.result.note ?? undefined, updatedAt: Date.now(), result: rebased.result, logTail: rebased.logTail });
    lanes.push(rebased);
  }
  const outcome = await completeRace({ ...race, baseSha: base }, lanes, await deps.completeDeps(), log);
  log.info({ base, outcome: outcome.kind }, "waiting race resumed");
  return outcome.kind === "finished" ? "resumed:finished" : "resumed:waiting";
}

/** "#14 was merged", "#14 and #15 were closed": what happened to the PRs a race waited for. */
function howClosed(numbers: readonly number[], states: ReadonlyArray<IssueState | null>): string {
  const merged = numbers.filter((_, i) => states[i]?.merged);
  const closed = numbers.filter((_, i) => !states[i]?.merged);
  const phrase = (list: number[], verb: string) => `${list.map((n) => `#${n}`).join(" and ")} ${list.length > 1 ? "were" : "was"} ${verb}`;
  return [merged.length ? phrase(merged, "merged") : "", closed.length ? phrase(closed, "closed") : ""].filter(Boolean).join(", ");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A waiting race was cancelled (`/cancel`, issue closed). A parked race is completed as cancelled
 * (its pushed branches are deleted); one that never started just ends.
 */
async function cancelWaiting(data: WaitJob, deps: WaitRaceDeps, log: Logger): Promise<WaitOutcome> {
  const { race } = data;
  await deps.registry.waits.stopWaiting(race.repo.id, data.waitingFor, race.raceId);
  if (data.kind === "resume") {
    const lanes = (await deps.registry.races.lanes(race.raceId)).flatMap((s) => (s.result ? [{ result: s.result, logTail: s.logTail ?? "" }] : []));
    await completeRace(race, lanes, await deps.completeDeps(), log);
    return "cancelled";
  }
  await deps.registry.races.update(race.raceId, (m) => ({
    ...m, state: "cancelled", waiting: null, finishedAt: Date.now(), message: m.message?.replace("stopping agents…", "nothing was running.") ?? "Cancelled.",
  }));
  await deps.registry.issues.release(race.repo.id, race.issueNumber, race.raceId);
  await deps.queues.scheduleStatus(race.raceId, race.installationId, { now: true });
  return "cancelled";
}
