import { join } from "node:path";
import type { AgentSpec, RepoConfig } from "../../config/repo-config.js";
import type { GitAccess, GitAuth } from "../../git/auth-scope.js";
import { deleteBranches } from "../../git/delete-branches.js";
import { ensureMirror } from "../../git/mirror-cache.js";
import { pushBranch } from "../../git/push-branch.js";
import { removeLaneCheckout } from "../../git/lane-checkout.js";
import type { RepoClient } from "../../github/repo-client.js";
import type { LaneSandboxConfig } from "../../sandbox/resolve-lane-sandbox.js";
import type { SpawnHook } from "../../process/run-process.js";
import type { BudgetGuard } from "../../pipeline/budget-guard.js";
import type { GitHubLaneResult } from "../../model/github-lane-result.js";
import type { LaneEvent } from "../../model/lane-event.js";
import type { LaneResult } from "../../model/race-report.js";
import { pushRefusal } from "../../pipeline/push-refusal.js";
import { readLogTail } from "../../pipeline/read-log-tail.js";
import { runLane } from "../../pipeline/run-lane.js";

export interface GitHubLaneInput {
  raceId: string;
  repo: { owner: string; name: string; cloneUrl: string };
  task: string;
  /** The lane commit's subject (a revision's "address review by @…"); default: the task's first line. */
  subject?: string | undefined;
  baseSha: string;
  lanesTotal: number;
  /** The planned lane, with its agent resolved when the race was planned (`sandboxed`: for the lane sandbox). */
  lane: { lane: number; agent: string; approach: string | null; branch: string; port: number; spec: AgentSpec; sandboxed: boolean };
  config: RepoConfig;
  /** A revision starts from the PR's head and pushes only if the branch is still there (a lease). */
  pushLease?: string | undefined;
  /** Agent config taken from `fromSha` (the race's base) instead of `baseSha` (a revision's PR head). */
  restore?: { fromSha: string; paths: readonly string[] } | undefined;
}

export interface GitHubLaneDeps {
  /** The repository on GitHub: a lane only publishes its check run there. */
  github: Pick<RepoClient, "publishCheckRun">;
  /**
   * A fresh installation token for git on this repository (`read`: fetch, `push`: `contents: write`), as an
   * HTTP header scoped to the configured GitHub server; asked for once per phase, so none outlives its hour.
   */
  gitAuth: (access: GitAccess) => Promise<GitAuth>;
  cacheDir: string;
  worktreeRoot: string;
  /** The lane sandbox every lane process runs in (null: unsandboxed). */
  sandbox?: LaneSandboxConfig | null | undefined;
  signal?: AbortSignal | undefined;
  isCancelled: () => Promise<boolean>;
  onEvent: (event: LaneEvent) => void;
  env?: NodeJS.ProcessEnv | undefined;
  /** Learns the agent's process group while it runs (the worker records it in Redis). */
  onAgentSpawn?: SpawnHook | undefined;
  /** The race's cost budget, shared with the lanes on other workers. */
  budget?: BudgetGuard | undefined;
}

/**
 * A lane on a worker: mirror fetch (per-repo lock; skipped when the mirror already has the base, so
 * the lanes of a race fetch once between them) → the engine's lane recipe in a lane checkout of
 * the mirror → push with a lease → a check run on the pushed commit. Re-running it (a stalled
 * job) starts from a clean lane directory and branch, and the push and check run are idempotent.
 */
export async function runGitHubLane(input: GitHubLaneInput, deps: GitHubLaneDeps): Promise<GitHubLaneResult> {
  // Planned for the sandbox (its preset may skip its own permission prompts): never run it without one.
  // Not unrecoverable: on a mixed fleet, the retry may land on a worker that has the sandbox.
  if (input.lane.sandboxed && !deps.sandbox) throw new Error(`lane ${input.lane.lane}'s agent was planned for the lane sandbox, and this worker runs lanes without one`);
  const fetchAuth = await deps.gitAuth("read");
  const tokens = [fetchAuth.token];
  const mirror = await ensureMirror({
    cacheDir: deps.cacheDir, owner: input.repo.owner, repo: input.repo.name, cloneUrl: input.repo.cloneUrl,
    authHeader: fetchAuth.authHeader, authScope: fetchAuth.authScope, wantShas: [input.baseSha, ...(input.restore ? [input.restore.fromSha] : [])], fetch: "if-missing", signal: deps.signal,
  });
  const worktreeDir = join(deps.worktreeRoot, input.raceId);
  await removeLaneCheckout(join(worktreeDir, `lane-${input.lane.lane}`));
  await deleteBranches(mirror, [input.lane.branch]);
  const logDir = join(deps.cacheDir, "logs", input.raceId);
  const result = await runLane(
    { lane: input.lane.lane, agentName: input.lane.agent, agent: input.lane.spec, approach: input.lane.approach, port: input.lane.port, branch: input.lane.branch },
    {
      raceId: input.raceId, task: input.task, subject: input.subject, lanes: input.lanesTotal, repoDir: mirror, sourceDir: null, baseSha: input.baseSha,
      config: input.config, worktreeDir, logDir, keep: false, restore: input.restore, signal: deps.signal, env: deps.env, onEvent: deps.onEvent,
      onAgentSpawn: deps.onAgentSpawn, budget: deps.budget, sandbox: deps.sandbox,
      publish: async (lane: LaneResult) => {
        if (await deps.isCancelled()) return "cancelled before push";
        const refusal = pushRefusal(lane, input.config.push_failed);
        if (refusal) return refusal;
        const push = await deps.gitAuth("push");
        tokens.push(push.token);
        await pushBranch({ repoDir: mirror, remoteUrl: input.repo.cloneUrl, branch: lane.branch, authHeader: push.authHeader, authScope: push.authScope, expectedRemoteSha: input.pushLease, signal: deps.signal });
        await deps.github.publishCheckRun({ raceId: input.raceId, lane, headSha: lane.head as string });
        return null;
      },
    },
  );
  return { result: { ...result, log: `lane-${input.lane.lane}.log` }, logTail: await readLogTail(result.log, tokens) };
}
