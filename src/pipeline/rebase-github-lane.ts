import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { agentEnv } from "../agents/agent-env.js";
import type { RepoConfig } from "../config/repo-config.js";
import { evalScore } from "../evals/eval-score.js";
import { runEvals } from "../evals/run-evals.js";
import { basicAuthHeader } from "../git/auth-header.js";
import { deleteBranches } from "../git/delete-branches.js";
import { diffStats } from "../git/diff-stats.js";
import { ensureMirror } from "../git/mirror-cache.js";
import { pushBranch } from "../git/push-branch.js";
import { rebaseBranch } from "../git/rebase-branch.js";
import { addWorktree, removeWorktree } from "../git/worktree.js";
import type { GitHubClient } from "../github/github-client.js";
import { publishLaneCheckRun } from "../github/lane-check-run.js";
import type { GitHubLaneResult } from "./github-lane-result.js";
import type { LaneResult } from "./race-report.js";
import { laneStatus } from "./lane-status.js";
import { readLogTail } from "./read-log-tail.js";
import { runSetup } from "./run-setup.js";

export interface RebaseLaneInput {
  raceId: string;
  repo: { owner: string; name: string; cloneUrl: string };
  /** A lane that passed, with its pushed head. */
  lane: LaneResult;
  port: number;
  /** The default branch's head now. */
  newBase: string;
  config: RepoConfig;
  /** Why, for notes: e.g. "#14 was merged". */
  reason: string;
}

export interface RebaseLaneDeps {
  octokit: GitHubClient;
  getToken: () => Promise<string>;
  cacheDir: string;
  worktreeRoot: string;
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/**
 * A finished lane that waited for another race's conflicting PR to merge: rebase its branch onto
 * the new base in a worktree of the mirror, run setup and the evals again, and push with a lease
 * on the head it had. A rebase that does not apply cleanly changes nothing on the remote and
 * marks the lane `needs-rerun` (its agent has to start again from the new base: `/retry N`).
 */
export async function rebaseGitHubLane(input: RebaseLaneInput, deps: RebaseLaneDeps): Promise<GitHubLaneResult> {
  const { lane } = input;
  if (!lane.head) throw new Error(`lane ${lane.lane} has no head to rebase`);
  const token = await deps.getToken();
  const mirror = await ensureMirror({
    cacheDir: deps.cacheDir, owner: input.repo.owner, repo: input.repo.name, cloneUrl: input.repo.cloneUrl,
    authHeader: basicAuthHeader(token), wantShas: [input.newBase, lane.head], signal: deps.signal,
  });
  const worktree = join(deps.worktreeRoot, input.raceId, `rebase-${lane.lane}`);
  const logDir = join(deps.cacheDir, "logs", input.raceId);
  const log = join(logDir, `lane-${lane.lane}.log`);
  await mkdir(logDir, { recursive: true });
  await removeWorktree(mirror, worktree);
  await deleteBranches(mirror, [lane.branch]);
  await addWorktree({ repoDir: mirror, path: worktree, branch: lane.branch, baseSha: lane.head });
  const short = input.newBase.slice(0, 7);
  const note = (text: string): string => [lane.note, text].filter(Boolean).join("; ");
  let result: LaneResult;
  try {
    await appendFile(log, `\n== rebase onto ${short} (${input.reason})\n`);
    const rebased = await rebaseBranch(worktree, input.newBase, deps.signal);
    if (!rebased.clean) {
      await appendFile(log, `== rebase conflicts: ${rebased.conflicts.join(", ")}\n`);
      result = { ...lane, status: "needs-rerun", note: note(`could not rebase onto ${short} after ${input.reason}: conflicts in ${rebased.conflicts.join(", ")}`) };
    } else {
      const env = agentEnv({ source: deps.env ?? process.env, passthrough: [], lane: lane.lane, port: input.port, extra: { CI: "true" } });
      const setupFailure = await runSetup(input.config.setup, { cwd: worktree, env, logFile: log, timeoutMs: input.config.timeout, signal: deps.signal });
      const evals = setupFailure ? [] : await runEvals({ evals: input.config.evals, cwd: worktree, env, logFile: log, signal: deps.signal });
      const diff = await diffStats(worktree, input.newBase, rebased.head);
      const scopeFailed = input.config.scope_mode === "fail" && lane.out_of_scope.length > 0;
      result = {
        ...lane, head: rebased.head, evals, score: evalScore(evals), status: setupFailure ? "error" : laneStatus(evals, scopeFailed),
        files_changed: diff.files.length, insertions: diff.insertions, deletions: diff.deletions,
        note: note(setupFailure ?? `rebased onto ${short} after ${input.reason}; evals re-run`),
      };
      await pushBranch({ repoDir: mirror, remoteUrl: input.repo.cloneUrl, branch: lane.branch, authHeader: basicAuthHeader(await deps.getToken()), expectedRemoteSha: lane.head, signal: deps.signal });
      await publishLaneCheckRun(deps.octokit, { owner: input.repo.owner, repo: input.repo.name }, { raceId: input.raceId, lane: result, headSha: rebased.head });
    }
  } finally {
    await removeWorktree(mirror, worktree);
  }
  return { result, logTail: await readLogTail(log, [token]) };
}
