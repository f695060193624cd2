import { join } from "node:path";
import type { RepoConfig } from "../config/repo-config.js";
import { CancelledError, UserError } from "../errors.js";
import { laneBranchName, slugify } from "../git/branch-name.js";
import { deleteBranches } from "../git/delete-branches.js";
import { currentBranch, resolveCommit, resolveRepo } from "../git/repo-info.js";
import { assembleReport, branchesToKeep } from "../pipeline/assemble-report.js";
import type { LaneEvent } from "../model/lane-event.js";
import { mapLimit } from "../pipeline/map-limit.js";
import { MemoryBudget } from "./memory-budget.js";
import { newRaceId } from "../pipeline/new-race-id.js";
import { planLanes } from "../pipeline/plan-lanes.js";
import type { RaceRecord } from "./race-record.js";
import type { RaceReport } from "../model/race-report.js";
import { RaceStore } from "./race-store.js";
import { recoverStaleRaces } from "./recover-stale-races.js";
import { runLane, type PlannedLane } from "../pipeline/run-lane.js";
import { worktreeRoot } from "../pipeline/worktree-root.js";
import type { LaneSandboxConfig } from "../sandbox/resolve-lane-sandbox.js";

export interface RaceOptions {
  /** Any directory inside the user's repository. */
  cwd: string;
  task: string;
  config: RepoConfig;
  base?: string | undefined;
  lanes?: number | undefined;
  agents?: readonly string[] | undefined;
  approaches?: readonly string[] | undefined;
  parallel?: number | undefined;
  keep?: boolean | undefined;
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  onStart?: ((record: RaceRecord) => void) | undefined;
  onEvent?: ((event: LaneEvent) => void) | undefined;
  /** The lane sandbox every lane process runs in; null or absent: unsandboxed. */
  sandbox?: LaneSandboxConfig | null | undefined;
}

/**
 * A local race: resolve the base, plan the lanes, run them in parallel worktrees, rank them,
 * keep the branches the mode asks for, and record everything under `.git/agent-race/`.
 * The user's checkout, index and branch are never touched.
 */
export async function runRace(options: RaceOptions): Promise<RaceReport> {
  const task = options.task.trim();
  if (!task) throw new UserError("the task is empty: give it as arguments or with --task-file");
  const repo = await resolveRepo(options.cwd);
  const repoDir = repo.topLevel ?? repo.commonDir;
  const store = new RaceStore(repo.commonDir);
  await recoverStaleRaces(store, repoDir);

  // 1. Base and lanes.
  const baseSha = await resolveCommit(repoDir, options.base ?? "HEAD");
  const base = options.base ?? (await currentBranch(repoDir)) ?? baseSha;
  const plans = planLanes(options.config, { lanes: options.lanes, agents: options.agents, approaches: options.approaches, sandboxed: Boolean(options.sandbox) });
  const id = newRaceId();
  const slug = slugify(task);
  const lanes: PlannedLane[] = plans.map((plan) => ({ ...plan, branch: laneBranchName({ slug, raceId: id, lane: plan.lane, agent: plan.agentName }) }));
  const startedAt = new Date();
  const record: RaceRecord = {
    id, state: "running", pid: process.pid, repo: repoDir, task, base, base_sha: baseSha,
    created_at: startedAt.toISOString(), updated_at: startedAt.toISOString(), worktree_dir: join(worktreeRoot(options.env), id),
    lanes: lanes.map(({ lane, agentName, approach, branch }) => ({ lane, agent: agentName, approach, branch })),
    report: null, picked_lane: null,
  };
  await store.save(record);
  options.onStart?.(record);
  for (const lane of lanes) options.onEvent?.({ lane: lane.lane, agent: lane.agentName, step: "queued", at: Date.now() });

  // 2. Lanes in parallel, each in its own worktree, within the cost budget.
  const budget = options.config.budget ? new MemoryBudget(options.config.budget) : undefined;
  const results = await mapLimit(lanes, options.parallel ?? lanes.length, (plan) =>
    runLane(plan, {
      raceId: id, task, lanes: lanes.length, repoDir, sourceDir: repo.topLevel, baseSha, config: options.config,
      worktreeDir: record.worktree_dir, logDir: store.logDir(id), keep: options.keep ?? false,
      signal: options.signal, env: options.env, onEvent: options.onEvent, budget, sandbox: options.sandbox,
    }),
  );

  // 3. Rank, keep the branches the mode asks for, record the result.
  const report = assembleReport({ id, task, base, baseSha, mode: options.config.mode, startedAt, lanes: results });
  const cancelled = options.signal?.aborted ?? false;
  if (!options.keep) {
    const keep = cancelled ? new Set<string>() : branchesToKeep(report);
    await deleteBranches(repoDir, lanes.map((lane) => lane.branch).filter((branch) => !keep.has(branch)));
  }
  await store.save({ ...record, state: cancelled ? "cancelled" : "done", report });
  if (cancelled) throw new CancelledError(`race ${id} was cancelled; its agents were stopped and its worktrees removed`);
  return report;
}
