import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { agentEnv } from "../agents/agent-env.js";
import { runAgent, type AgentRun } from "../agents/run-agent.js";
import type { RepoConfig } from "../config/repo-config.js";
import { evalScore } from "../evals/eval-score.js";
import { runEvals } from "../evals/run-evals.js";
import { diffStats } from "../git/diff-stats.js";
import { createLaneCheckout, removeLaneCheckout, type LaneCheckout } from "../git/lane-checkout.js";
import { snapshotLane } from "../git/snapshot-lane.js";
import type { SpawnHook } from "../process/run-process.js";
import type { BudgetGuard } from "./budget-guard.js";
import { buildPrompt } from "./build-prompt.js";
import { copyFiles } from "./copy-files.js";
import { findOutOfScope } from "./find-out-of-scope.js";
import { findProtectedChanges } from "./find-protected-changes.js";
import { LaneBudget } from "./lane-budget.js";
import { laneStatus } from "./lane-status.js";
import type { LaneEvent, LaneStep } from "../model/lane-event.js";
import type { LanePlan } from "./plan-lanes.js";
import type { LaneResult, LaneStatus } from "../model/race-report.js";
import { runSetup } from "./run-setup.js";
import { seedHome } from "./seed-home.js";
import { checkFreeDisk } from "./check-free-disk.js";
import { DEFAULT_SANDBOX_SETTINGS } from "../config/sandbox-settings.js";
import { LaneSandbox, insidePath } from "../sandbox/lane-sandbox.js";
import type { LaneSandboxConfig } from "../sandbox/resolve-lane-sandbox.js";

export interface LaneContext {
  raceId: string;
  task: string;
  /** The subject of the lane's commit; default: the task's first line (a race's issue title). */
  subject?: string | undefined;
  lanes: number;
  /** The repository (a checkout or a bare mirror) the lane's branch and objects live in. */
  repoDir: string;
  /** The main checkout that `copy` files come from; null for a mirror. */
  sourceDir: string | null;
  baseSha: string;
  config: RepoConfig;
  worktreeDir: string;
  logDir: string;
  keep: boolean;
  /** Agent config the lane takes from `fromSha` instead of its base (a revision starts from a head an agent wrote). */
  restore?: { fromSha: string; paths: readonly string[] } | undefined;
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  onEvent?: ((event: LaneEvent) => void) | undefined;
  /** Learns the agent's process group while it runs (the App records it so a dead worker's agent can be killed). */
  onAgentSpawn?: SpawnHook | undefined;
  /** The race's cost budget: admits the lane and stops its agent at a limit (status `budget`). */
  budget?: BudgetGuard | undefined;
  /** The lane sandbox every process of the lane runs in (setup, agent, evals); null or absent: unsandboxed. */
  sandbox?: LaneSandboxConfig | null | undefined;
  /** Pushes the lane's branch (GitHub mode); returns a note when it could not. */
  publish?: ((lane: LaneResult, worktree: string) => Promise<string | null>) | undefined;
}

export type PlannedLane = LanePlan & { branch: string };

/** One lane, top to bottom: lane checkout → copy → setup → agent → snapshot → evaluate → publish → clean up. */
export async function runLane(plan: PlannedLane, ctx: LaneContext): Promise<LaneResult> {
  const started = performance.now();
  const laneDir = join(ctx.worktreeDir, `lane-${plan.lane}`);
  // The lane's files (`checkout.work`): where setup, the agent and the evals run.
  const worktree = join(laneDir, "work");
  const log = join(ctx.logDir, `lane-${plan.lane}.log`);
  const notes: string[] = [];
  const emit = (step: LaneStep, detail?: string, status?: LaneStatus): void =>
    ctx.onEvent?.({ lane: plan.lane, agent: plan.agentName, step, detail, status, at: Date.now() });
  const result = (status: LaneStatus, fields: Partial<LaneResult> = {}): LaneResult => {
    const lane: LaneResult = {
      lane: plan.lane, rank: 0, agent: plan.agentName, approach: plan.approach, branch: plan.branch,
      worktree: ctx.keep ? worktree : null, status, evals: [], score: 0, files_changed: 0, out_of_scope: [],
      insertions: 0, deletions: 0, duration_ms: 0, tokens: null, cost_usd: null, head: null,
      note: null, log, ...fields,
    };
    lane.duration_ms = Math.round(performance.now() - started);
    lane.note = notes.length > 0 ? notes.join("; ") : null;
    return lane;
  };

  let checkout: LaneCheckout | undefined;
  let restored: string[] = [];
  let budget: LaneBudget | undefined;
  try {
    // 1. Admission by the cost budget, then a lane checkout on a new branch from the base commit.
    const admitted = await LaneBudget.start(ctx.budget, plan.lane, ctx.signal);
    if (typeof admitted === "string") {
      notes.push(admitted);
      return await finish(result("budget"));
    }
    budget = admitted;
    emit("preparing");
    await mkdir(ctx.logDir, { recursive: true });
    const settings = ctx.sandbox?.settings ?? DEFAULT_SANDBOX_SETTINGS;
    const diskFull = await checkFreeDisk(ctx.worktreeDir, settings.min_free_disk_mb);
    if (diskFull) {
      notes.push(diskFull);
      return await finish(result("limit"), false);
    }
    ({ checkout, restored } = await createLaneCheckout({ repoDir: ctx.repoDir, dir: laneDir, branch: plan.branch, baseSha: ctx.baseSha, restore: ctx.restore }));
    if (restored.length > 0) notes.push(`restored agent config from the base: ${listPaths(restored)}`);
    // Every process of the lane runs in its sandbox; each phase reaches only its own egress allowlist.
    const box = ctx.sandbox ? new LaneSandbox({ ...ctx.sandbox, lane: checkout }) : null;
    const sandboxes = {
      setup: box?.forPhase("setup", settings.egress.setup),
      agent: box?.forPhase("agent", plan.agent.egress),
      evals: box?.forPhase("evals", ctx.config.evals_network ? settings.egress.evals : []),
    };

    // 2. Files copied from the main checkout, then the repo's setup commands.
    if (ctx.sourceDir && ctx.config.copy.length > 0) {
      const missing = await copyFiles(ctx.config.copy, ctx.sourceDir, worktree);
      if (missing.length > 0) notes.push(`copy skipped missing ${missing.join(", ")}`);
    }
    const processEnv = agentEnv({ source: ctx.env ?? process.env, passthrough: [], lane: plan.lane, port: plan.port, extra: { CI: "true" } });
    if (ctx.config.setup.length > 0) {
      emit("setup");
      const failure = await runSetup(ctx.config.setup, { cwd: worktree, env: processEnv, logFile: log, timeoutMs: ctx.config.timeout, signal: budget.signal, sandbox: sandboxes.setup });
      if (failure) {
        notes.push(budget.stopReason ?? failure.note);
        return await finish(result(budget.stopReason ? "budget" : failure.status));
      }
    }

    // 3. The agent, unless the race's budget ran out meanwhile; its cost reports count as they come.
    if (budget.stopReason) {
      notes.push(budget.stopReason);
      return await finish(result("budget"));
    }
    emit("agent");
    const prompt = buildPrompt({ task: ctx.task, approach: plan.approach, scope: ctx.config.scope, lane: plan.lane, lanes: ctx.lanes });
    // Sandboxed, the prompt file sits in the lane's /tmp: the log directory is not visible inside.
    const promptFile = box ? join(checkout.tmp, "agent-race-prompt.md") : join(ctx.logDir, `lane-${plan.lane}.prompt.md`);
    // The operator's config files for this agent, in the lane's own HOME while the agent runs (sandboxed only:
    // unsandboxed, HOME is the user's own).
    let unseed: (() => Promise<void>) | null = null;
    const homeFiles = plan.agent.home_files ?? {};
    if (Object.keys(homeFiles).length > 0) {
      if (!box) notes.push("home_files not copied: the lane runs unsandboxed, with your own HOME");
      else {
        try {
          unseed = await seedHome(checkout.home, homeFiles);
        } catch (error) {
          notes.push(error instanceof Error ? error.message : String(error));
          return await finish(result("error"));
        }
      }
    }
    const agent = await runAgent({
      name: plan.agentName, spec: plan.agent, prompt, cwd: worktree, promptFile, promptFileShown: box ? insidePath(checkout, promptFile) : promptFile,
      sandbox: sandboxes.agent,
      logFile: log, lane: plan.lane, port: plan.port, timeoutMs: plan.agent.timeout ?? ctx.config.timeout,
      signal: budget.signal, env: ctx.env, onSpawn: ctx.onAgentSpawn, onCost: budget.report,
    }).finally(() => unseed?.());
    await budget.settle(agent.report.costUsd);
    const budgetStop = agent.outcome === "cancelled" && !ctx.signal?.aborted ? budget.stopReason : null;
    if (agent.failure) notes.push(budgetStop ?? agent.failure);
    notes.push(...agent.notes);
    if (!budgetStop && budget.reached) notes.push(`${budget.reached} as the agent finished`);
    if (agent.outputTruncated) notes.push("agent output truncated in the log");
    const usage = { tokens: agent.report.tokens, cost_usd: agent.report.costUsd };

    // 4. Commit whatever the agent left, even after a failure, so partial work is kept.
    emit("committing");
    const head = await snapshotLane(checkout, {
      branch: plan.branch, parentSha: ctx.baseSha, message: commitMessage(ctx.subject ?? ctx.task, plan), authorName: `agent-race (${plan.agentName})`,
      authorEmail: "agent-race@users.noreply.github.com", exclude: ctx.sourceDir ? ctx.config.copy : [], restored,
    });
    const diff = await diffStats(ctx.repoDir, ctx.baseSha, head);
    const changed = {
      ...usage, head: diff.files.length > 0 ? head : null, files_changed: diff.files.length,
      insertions: diff.insertions, deletions: diff.deletions, out_of_scope: findOutOfScope(diff.files, ctx.config.scope),
    };
    if (changed.out_of_scope.length > 0) notes.push(`out of scope: ${changed.out_of_scope.join(", ")}`);
    // Protected paths (workflows, `protected_paths`): refused, never evaluated, never published.
    const protectedFiles = findProtectedChanges(diff.files, ctx.config.protected_paths);
    if (protectedFiles.length > 0) {
      notes.push(`refused: changes protected paths ${protectedFiles.slice(0, 20).join(", ")}${protectedFiles.length > 20 ? ` and ${protectedFiles.length - 20} more` : ""}; not pushed`);
      return await finish(result("protected", changed), false);
    }
    const agentStatus = budgetStop ? "budget" : agentFailureStatus(agent);
    if (agentStatus) return await finish(result(agentStatus, changed));
    if (diff.files.length === 0) return await finish(result("no-changes", changed));

    // 5. Evaluate.
    emit("evaluating");
    const evals = await runEvals({ evals: ctx.config.evals, cwd: worktree, env: processEnv, logFile: log, signal: ctx.signal, sandbox: sandboxes.evals });
    const status = laneStatus(evals, ctx.config.scope_mode === "fail" && changed.out_of_scope.length > 0);
    if (ctx.config.scope_mode === "fail" && changed.out_of_scope.length > 0) notes.push("scope_mode is fail");
    return await finish(result(status, { ...changed, evals, score: evalScore(evals) }));
  } catch (error) {
    if (error instanceof PublishError) throw error.cause;
    notes.push(ctx.signal?.aborted ? "cancelled" : `lane error: ${(error as Error).message}`);
    return await finish(result("error"), false);
  } finally {
    await budget?.settle(null);
    if (checkout && !ctx.keep) await removeLaneCheckout(checkout.dir);
  }

  /** Publishes the lane (GitHub mode) when it has commits, then reports it done. */
  async function finish(lane: LaneResult, publish = true): Promise<LaneResult> {
    let done = lane;
    if (publish && ctx.publish && lane.head) {
      emit("publishing");
      let note: string | null;
      try {
        note = await ctx.publish(lane, worktree);
      } catch (error) {
        throw new PublishError(error);
      }
      if (note) done = { ...lane, note: [lane.note, note].filter(Boolean).join("; ") };
    }
    emit("done", done.note ?? undefined, done.status);
    return done;
  }
}

/** A failure to publish (push, check run) is infrastructure: it propagates so the job is retried. */
class PublishError extends Error {
  constructor(cause: unknown) {
    super("publishing the lane failed", { cause });
  }
}

function agentFailureStatus(agent: AgentRun): LaneStatus | null {
  if (agent.limit) return "limit";
  if (agent.outcome === "timeout") return "timeout";
  if (agent.outcome === "error" || agent.outcome === "cancelled") return "error";
  return null;
}

function listPaths(paths: readonly string[]): string {
  return paths.length > 10 ? `${paths.slice(0, 10).join(", ")} and ${paths.length - 10} more` : paths.join(", ");
}

/** `agent-race: <subject>` (its first line, at most 72 characters), then which lane and agent made it. */
function commitMessage(subject: string, plan: PlannedLane): string {
  const line = subject.trim().split("\n")[0]?.trim() || "task";
  const title = line.length > 72 ? `${line.slice(0, 71)}…` : line;
  return `agent-race: ${title}\n\nLane ${plan.lane}, agent ${plan.agentName}${plan.approach ? `, approach: ${plan.approach}` : ""}.`;
}
