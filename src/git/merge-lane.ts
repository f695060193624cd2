import { UserError } from "../errors.js";
import { runGit } from "./git.js";
import { mergeTree } from "./merge-tree.js";
import { isDirty } from "./repo-info.js";

export interface MergeLaneOptions {
  /** A checkout (main or linked worktree) whose current branch receives the merge. */
  checkoutDir: string;
  /** The local branch to merge, e.g. a lane's branch. */
  branch: string;
  message: string;
}

/**
 * Merges `branch` into the checked out branch with `--no-ff -m message` (hooks off) and returns the new HEAD.
 * Refuses with `UserError`, leaving everything untouched, when tracked files are dirty or the merge would
 * conflict; if git still fails, the merge is aborted. When `branch` is already merged, HEAD is returned as is.
 */
export async function mergeLane(options: MergeLaneOptions): Promise<string> {
  const { checkoutDir: cwd, branch, message } = options;
  const dirty = await isDirty(cwd);
  if (dirty.length > 0) {
    throw new UserError(`cannot merge "${branch}": ${cwd} has uncommitted changes to tracked files: ${listPaths(dirty)}`);
  }
  if (await hasRef(cwd, "MERGE_HEAD")) throw new UserError(`cannot merge "${branch}": a merge is already in progress in ${cwd}`);
  const head = await revParse(cwd, "HEAD");
  const theirs = await revParse(cwd, `refs/heads/${branch}`);
  if (!head) throw new UserError(`cannot merge "${branch}": ${cwd} has no commits yet`);
  if (!theirs) throw new UserError(`branch "${branch}" not found`);
  const preview = await mergeTree(cwd, head, theirs);
  if (!preview.clean) throw new UserError(`cannot merge "${branch}": it conflicts in ${listPaths(preview.conflicts)}`);

  const args = ["merge", "--no-ff", "--commit", "--no-squash", "--no-log", "--no-edit", "--no-verify", "-m", message, theirs];
  const result = await runGit(args, { cwd, allowFailure: true, config: { "core.hooksPath": "/dev/null" } });
  if (result.exitCode !== 0) {
    if (await hasRef(cwd, "MERGE_HEAD")) await runGit(["merge", "--abort"], { cwd, allowFailure: true });
    const detail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-5).join(" | ");
    throw new UserError(`merging "${branch}" failed and was aborted: ${detail}`);
  }
  return (await revParse(cwd, "HEAD")) ?? head;
}

async function revParse(cwd: string, ref: string): Promise<string | null> {
  const args = ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`];
  const result = await runGit(args, { cwd, allowFailure: true });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

async function hasRef(cwd: string, ref: string): Promise<boolean> {
  return (await runGit(["rev-parse", "--verify", "--quiet", ref], { cwd, allowFailure: true })).exitCode === 0;
}

function listPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, 20).join(", ");
  return paths.length > 20 ? `${shown} and ${paths.length - 20} more` : shown;
}
