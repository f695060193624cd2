import { describe, expect, it } from "vitest";
import { GitError } from "../../../src/errors.js";
import { isLockError, retryOnLock } from "../../../src/git/retry-on-lock.js";

const lockError = new GitError(["worktree"], "fatal: Unable to create '/r/.git/index.lock': File exists.");
const refLockError = new GitError(["branch"], "error: cannot lock ref 'refs/heads/x': Unable to create '/r/.git/refs/heads/x.lock': File exists.");
const otherError = new GitError(["branch"], "fatal: a branch named 'x' already exists");

describe("retryOnLock", () => {
  it("recognises lock-file errors only", () => {
    expect(isLockError(lockError)).toBe(true);
    expect(isLockError(refLockError)).toBe(true);
    expect(isLockError(new GitError(["config"], "error: could not lock config file .git/config: File exists"))).toBe(true);
    expect(isLockError(otherError)).toBe(false);
    expect(isLockError(new GitError(["branch"], "cannot lock ref 'refs/heads/x': reference already exists"))).toBe(false);
    expect(isLockError(new Error(".lock': File exists"))).toBe(false);
  });

  it("retries while a lock is held, then succeeds", async () => {
    let calls = 0;
    const result = await retryOnLock(async () => {
      calls++;
      if (calls < 3) throw lockError;
      return "ok";
    }, { maxDelayMs: 5 });
    expect(result).toBe("ok");
    expect(calls).toBe(3);
  });

  it("does not retry other errors, and gives up after the last attempt", async () => {
    let calls = 0;
    await expect(retryOnLock(async () => { calls++; throw otherError; }, { maxDelayMs: 5 })).rejects.toBe(otherError);
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryOnLock(async () => { calls++; throw lockError; }, { attempts: 3, maxDelayMs: 5 })).rejects.toBe(lockError);
    expect(calls).toBe(3);
  });
});

describe("isLockError on a concurrent worktree", () => {
  it("treats a fetch that tripped over a worktree being created as transient", () => {
    const error = new GitError(["fetch"], "fatal: bad object worktrees/lane-1/HEAD\nerror: https://x did not send all necessary objects\n");
    expect(isLockError(error)).toBe(true);
    expect(isLockError(new GitError(["worktree"], "fatal: failed to read .git/worktrees/lane-4/commondir: Success"))).toBe(true);
    expect(isLockError(new GitError(["fetch"], "fatal: repository not found"))).toBe(false);
  });
});
