import { runGit } from "./git.js";

export type RebaseOutcome = { clean: true; head: string } | { clean: false; conflicts: string[] };

const IDENTITY = { name: "agent-race", email: "agent-race@users.noreply.github.com" };

/**
 * Rebases the branch checked out in worktree `dir` onto `onto`, non-interactively, hooks and
 * signing off. Authors are kept; agent-race is the committer. On a conflict the rebase is aborted,
 * so the worktree is back at the old head, and the conflicting paths are returned.
 */
export async function rebaseBranch(dir: string, onto: string, signal?: AbortSignal): Promise<RebaseOutcome> {
  const result = await runGit(["rebase", "--quiet", "--no-autosquash", "--no-autostash", "--empty=drop", "--end-of-options", onto], {
    cwd: dir, signal, allowFailure: true,
    config: { "core.hooksPath": "/dev/null", "commit.gpgsign": "false", "user.name": IDENTITY.name, "user.email": IDENTITY.email, "rebase.autoSquash": "false" },
    env: { GIT_COMMITTER_NAME: IDENTITY.name, GIT_COMMITTER_EMAIL: IDENTITY.email },
  });
  if (result.exitCode === 0) return { clean: true, head: (await runGit(["rev-parse", "--verify", "HEAD"], { cwd: dir })).stdout.trim() };
  const unmerged = await runGit(["diff", "--name-only", "--diff-filter=U", "-z"], { cwd: dir, allowFailure: true });
  await runGit(["rebase", "--abort"], { cwd: dir, allowFailure: true });
  const conflicts = [...new Set(unmerged.stdout.split("\0").filter(Boolean))].sort();
  return { clean: false, conflicts: conflicts.length > 0 ? conflicts : ["(rebase failed: " + lastLine(result.stderr) + ")"] };
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1)?.trim().slice(0, 200) ?? "unknown error";
}
