import { setTimeout as sleep } from "node:timers/promises";
import { GitError } from "../errors.js";

export interface RetryOnLockOptions {
  /** Attempts in all, including the first. */
  attempts?: number;
  /** Upper bound of the random delay before each retry, doubled per retry. */
  maxDelayMs?: number;
}

/** Whether a git failure came from another git process holding a `.lock` file (worth retrying). */
export function isLockError(error: unknown): boolean {
  if (!(error instanceof GitError)) return false;
  // Git commands that scan every worktree can also trip over one that another lane is creating at
  // that moment: a fetch ("bad object worktrees/lane-1/HEAD … did not send all necessary objects")
  // or another `worktree add` ("failed to read .git/worktrees/lane-4/commondir").
  return /\.lock'?:\s*File exists|could not lock config file|bad object [^\n]*worktrees\/|did not send all necessary objects|failed to read [^\n]*worktrees\/[^\n]*\/(commondir|gitdir|HEAD)/i.test(error.stderr);
}

/**
 * Runs `operation`, retrying with a short random delay while it fails because another git process
 * (e.g. a concurrent race on the same repository) holds a lock file.
 */
export async function retryOnLock<T>(operation: () => Promise<T>, options: RetryOnLockOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const maxDelayMs = options.maxDelayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isLockError(error)) throw error;
      await sleep(Math.round(Math.random() * maxDelayMs * 2 ** (attempt - 1)) + 10);
    }
  }
}
