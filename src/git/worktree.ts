import { lstat, rm } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { GitError, UserError } from "../errors.js";
import { isSafeBranchName } from "./branch-name.js";
import { runGit } from "./git.js";
import { retryOnLock } from "./retry-on-lock.js";

export interface AddWorktreeOptions {
  repoDir: string;
  /** Where the new worktree goes; must not exist yet (or be empty). */
  path: string;
  /** A new branch, created at `baseSha`; it must not exist yet. */
  branch: string;
  baseSha: string;
}

const NO_HOOKS = { "core.hooksPath": "/dev/null" } as const;

/**
 * Creates `branch` at `baseSha` and checks it out in a new linked worktree at `path`, with hooks off.
 * The main checkout's HEAD, index and files are never touched. Retries while another git holds a lock.
 */
export async function addWorktree(options: AddWorktreeOptions): Promise<void> {
  const { repoDir, branch, baseSha } = options;
  const path = resolve(options.path);
  if (!isSafeBranchName(branch)) throw new UserError(`refusing unsafe branch name ${JSON.stringify(branch)}`);
  if (await branchExists(repoDir, branch)) throw new UserError(`branch "${branch}" already exists`);
  try {
    await retryOnLock(() => runGit(["branch", "--no-track", "--", branch, baseSha], { cwd: repoDir, config: NO_HOOKS }));
  } catch (error) {
    if (error instanceof GitError && /already exists/.test(error.stderr)) {
      throw new UserError(`branch "${branch}" already exists`, { cause: error });
    }
    throw error;
  }
  try {
    await retryOnLock(() => runGit(["worktree", "add", "--quiet", "--", path, branch], { cwd: repoDir, config: NO_HOOKS }));
  } catch (error) {
    await runGit(["branch", "-D", "--", branch], { cwd: repoDir, allowFailure: true });
    throw error;
  }
}

/**
 * Removes the linked worktree at `path` (`git worktree remove --force --force`); if git refuses, deletes the
 * directory and prunes the worktree's metadata. Does nothing when it is already gone.
 */
export async function removeWorktree(repoDir: string, path: string): Promise<void> {
  const target = resolve(path);
  await assertLinkedWorktreePath(repoDir, target);
  try {
    await retryOnLock(() => runGit(["worktree", "remove", "--force", "--force", "--", target], { cwd: repoDir }));
    return;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
  }
  await rm(target, { recursive: true, force: true, maxRetries: 3 });
  await pruneWorktrees(repoDir);
}

/** Forgets worktrees whose directories no longer exist. */
export async function pruneWorktrees(repoDir: string): Promise<void> {
  await retryOnLock(() => runGit(["worktree", "prune"], { cwd: repoDir }));
}

async function branchExists(repoDir: string, branch: string): Promise<boolean> {
  const result = await runGit(["show-ref", "--verify", "--quiet", `refs/heads/${branch}`], { cwd: repoDir, allowFailure: true });
  return result.exitCode === 0;
}

/** Guards the `rm -rf` fallback: never the main checkout, nor a directory that contains the repository. */
async function assertLinkedWorktreePath(repoDir: string, target: string): Promise<void> {
  const fromTarget = relative(target, resolve(repoDir));
  const outside = fromTarget === ".." || fromTarget.startsWith(`..${sep}`) || isAbsolute(fromTarget);
  const dotGit = await lstat(resolve(target, ".git")).catch(() => null);
  if (!outside || dotGit?.isDirectory()) {
    throw new UserError(`refusing to remove ${target}: it is not a linked worktree of ${repoDir}`);
  }
}
