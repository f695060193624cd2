import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { LaneSandbox } from "../../sandbox/lane-sandbox.js";
import type { LaneSandboxConfig } from "../../sandbox/resolve-lane-sandbox.js";
import { agentEnv } from "../../agents/agent-env.js";
import type { RepoConfig } from "../../config/repo-config.js";
import { evalScore } from "../../evals/eval-score.js";
import { runEvals } from "../../evals/run-evals.js";
import type { GitAccess, GitAuth } from "../../git/auth-scope.js";
import { deleteBranches } from "../../git/delete-branches.js";
import { diffStats } from "../../git/diff-stats.js";
import { ensureMirror } from "../../git/mirror-cache.js";
import { pushBranch } from "../../git/push-branch.js";
import { rebaseBranch } from "../../git/rebase-branch.js";
import { createLaneCheckout, removeLaneCheckout } from "../../git/lane-checkout.js";
import type { RepoClient } from "../../github/repo-client.js";
import type { GitHubLaneResult } from "../../model/github-lane-result.js";
import type { LaneResult } from "../../model/race-report.js";
import { laneStatus } from "../../pipeline/lane-status.js";
import { pushRefusal } from "../../pipeline/push-refusal.js";
import { readLogTail } from "../../pipeline/read-log-tail.js";
import { runSetup } from "../../pipeline/run-setup.js";

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
  github: Pick<RepoClient, "publishCheckRun">;
  /** A fresh, narrowed token per git phase, scoped to the configured GitHub server (see `GitHubLaneDeps`). */
  gitAuth: (access: GitAccess) => Promise<GitAuth>;
  cacheDir: string;
  worktreeRoot: string;
  /** The lane sandbox every lane process runs in (null: unsandboxed). */
  sandbox?: LaneSandboxConfig | null | undefined;
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/**
 * A finished lane that waited for another race's conflicting PR to merge: rebase its branch onto
 * the new base in the mirror, run setup and the evals again in a lane checkout, and push with a lease
 * on the head it had. A rebase that does not apply cleanly changes nothing on the remote and
 * marks the lane `needs-rerun` (its agent has to start again from the new base: `/retry N`).
 */
export async function rebaseGitHubLane(input: RebaseLaneInput, deps: RebaseLaneDeps): Promise<GitHubLaneResult> {
  const { lane } = input;
  if (!lane.head) throw new Error(`lane ${lane.lane} has no head to rebase`);
  const fetchAuth = await deps.gitAuth("read");
  const tokens = [fetchAuth.token];
  const mirror = await ensureMirror({
    cacheDir: deps.cacheDir, owner: input.repo.owner, repo: input.repo.name, cloneUrl: input.repo.cloneUrl,
    authHeader: fetchAuth.authHeader, authScope: fetchAuth.authScope, wantShas: [input.newBase, lane.head], signal: deps.signal,
  });
  const laneDir = join(deps.worktreeRoot, input.raceId, `rebase-${lane.lane}`);
  const head = lane.head;
  const logDir = join(deps.cacheDir, "logs", input.raceId);
  const log = join(logDir, `lane-${lane.lane}.log`);
  await mkdir(logDir, { recursive: true });
  await removeLaneCheckout(laneDir);
  const short = input.newBase.slice(0, 7);
  const note = (text: string): string => [lane.note, text].filter(Boolean).join("; ");
  let result: LaneResult;
  try {
    await appendFile(log, `\n== rebase onto ${short} (${input.reason})\n`);
    // In the mirror itself: no checkout of the lane's files is involved until the rebase is clean.
    const rebased = await rebaseBranch(mirror, { head, onto: input.newBase, signal: deps.signal });
    if (!rebased.clean) {
      await appendFile(log, `== rebase conflicts: ${rebased.conflicts.join(", ")}\n`);
      result = { ...lane, status: "needs-rerun", note: note(`could not rebase onto ${short} after ${input.reason}: conflicts in ${rebased.conflicts.join(", ")}`) };
    } else {
      await deleteBranches(mirror, [lane.branch]);
      const { checkout } = await createLaneCheckout({ repoDir: mirror, dir: laneDir, branch: lane.branch, baseSha: rebased.head });
      const worktree = checkout.work;
      const env = agentEnv({ source: deps.env ?? process.env, passthrough: [], lane: lane.lane, port: input.port, extra: { CI: "true" } });
      // The rebased files are the agent's: setup and evals run in the lane sandbox, as in the lane itself.
      const box = deps.sandbox ? new LaneSandbox({ ...deps.sandbox, lane: checkout }) : null;
      const setupBox = box?.forPhase("setup", deps.sandbox?.settings.egress.setup ?? []);
      const evalsBox = box?.forPhase("evals", input.config.evals_network ? deps.sandbox?.settings.egress.evals ?? [] : []);
      const setupFailure = await runSetup(input.config.setup, { cwd: worktree, env, logFile: log, timeoutMs: input.config.timeout, signal: deps.signal, sandbox: setupBox });
      const evals = setupFailure ? [] : await runEvals({ evals: input.config.evals, cwd: worktree, env, logFile: log, signal: deps.signal, sandbox: evalsBox });
      const diff = await diffStats(mirror, input.newBase, rebased.head);
      const scopeFailed = input.config.scope_mode === "fail" && lane.out_of_scope.length > 0;
      result = {
        ...lane, head: rebased.head, evals, score: evalScore(evals), status: setupFailure ? setupFailure.status : laneStatus(evals, scopeFailed),
        files_changed: diff.files.length, insertions: diff.insertions, deletions: diff.deletions,
        note: note(setupFailure?.note ?? `rebased onto ${short} after ${input.reason}; evals re-run`),
      };
      // Setup and evals may have taken long: a fresh token for the push. A lane that fails after the rebase
      // keeps its earlier (passing) push unless `push_failed` is on.
      const refusal = pushRefusal(result, input.config.push_failed);
      if (refusal) {
        result = { ...result, note: [result.note, refusal].filter(Boolean).join("; ") };
        return { result, logTail: await readLogTail(log, tokens) };
      }
      const push = await deps.gitAuth("push");
      tokens.push(push.token);
      await pushBranch({ repoDir: mirror, remoteUrl: input.repo.cloneUrl, branch: lane.branch, authHeader: push.authHeader, authScope: push.authScope, expectedRemoteSha: lane.head, signal: deps.signal });
      await deps.github.publishCheckRun({ raceId: input.raceId, lane: result, headSha: rebased.head });
    }
  } finally {
    await removeLaneCheckout(laneDir);
  }
  return { result, logTail: await readLogTail(log, tokens) };
}
