import { join } from "node:path";
import { resolveAgent } from "../config/resolve-agent.js";
import type { RepoConfig } from "../config/repo-config.js";
import { basicAuthHeader } from "../git/auth-header.js";
import { deleteBranches } from "../git/delete-branches.js";
import { ensureMirror } from "../git/mirror-cache.js";
import { pushBranch } from "../git/push-branch.js";
import { removeWorktree } from "../git/worktree.js";
import type { GitHubClient } from "../github/github-client.js";
import { publishLaneCheckRun } from "../github/lane-check-run.js";
import type { SpawnHook } from "../process/run-process.js";
import type { BudgetGuard } from "./budget-guard.js";
import type { GitHubLaneResult } from "./github-lane-result.js";
import type { LaneEvent } from "./lane-event.js";
import type { LaneResult } from "./race-report.js";
import { readLogTail } from "./read-log-tail.js";
import { runLane } from "./run-lane.js";

export interface GitHubLaneInput {
  raceId: string;
  repo: { owner: string; name: string; cloneUrl: string };
  task: string;
  baseSha: string;
  lanesTotal: number;
  lane: { lane: number; agent: string; approach: string | null; branch: string; port: number };
  config: RepoConfig;
  /** A revision starts from the PR's head and pushes only if the branch is still there (a lease). */
  pushLease?: string | undefined;
}

export interface GitHubLaneDeps {
  octokit: GitHubClient;
  /** A fresh installation token for git over HTTPS; it only ever travels in an HTTP header. */
  getToken: () => Promise<string>;
  cacheDir: string;
  worktreeRoot: string;
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
 * the lanes of a race fetch once between them) → the engine's lane recipe in a worktree cut
 * from the mirror → push with a lease → a check run on the pushed commit. Re-running it (a stalled
 * job) starts from a clean worktree and branch, and the push and check run are idempotent.
 */
export async function runGitHubLane(input: GitHubLaneInput, deps: GitHubLaneDeps): Promise<GitHubLaneResult> {
  const repoRef = { owner: input.repo.owner, repo: input.repo.name };
  const token = await deps.getToken();
  const mirror = await ensureMirror({
    cacheDir: deps.cacheDir, owner: input.repo.owner, repo: input.repo.name, cloneUrl: input.repo.cloneUrl,
    authHeader: basicAuthHeader(token), wantShas: [input.baseSha], fetch: "if-missing", signal: deps.signal,
  });
  const worktreeDir = join(deps.worktreeRoot, input.raceId);
  await removeWorktree(mirror, join(worktreeDir, `lane-${input.lane.lane}`));
  await deleteBranches(mirror, [input.lane.branch]);
  const logDir = join(deps.cacheDir, "logs", input.raceId);
  const result = await runLane(
    { lane: input.lane.lane, agentName: input.lane.agent, agent: resolveAgent(input.config, input.lane.agent), approach: input.lane.approach, port: input.lane.port, branch: input.lane.branch },
    {
      raceId: input.raceId, task: input.task, lanes: input.lanesTotal, repoDir: mirror, sourceDir: null, baseSha: input.baseSha,
      config: input.config, worktreeDir, logDir, keep: false, signal: deps.signal, env: deps.env, onEvent: deps.onEvent,
      onAgentSpawn: deps.onAgentSpawn, budget: deps.budget,
      publish: async (lane: LaneResult) => {
        if (await deps.isCancelled()) return "cancelled before push";
        const fresh = await deps.getToken();
        await pushBranch({ repoDir: mirror, remoteUrl: input.repo.cloneUrl, branch: lane.branch, authHeader: basicAuthHeader(fresh), expectedRemoteSha: input.pushLease, signal: deps.signal });
        await publishLaneCheckRun(deps.octokit, repoRef, { raceId: input.raceId, lane, headSha: lane.head as string });
        return null;
      },
    },
  );
  return { result: { ...result, log: `lane-${input.lane.lane}.log` }, logTail: await readLogTail(result.log, [token]) };
}
