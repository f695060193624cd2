import { lstat } from "node:fs/promises";
import { GitError, UserError } from "../errors.js";
import { isSafeBranchName } from "./branch-name.js";
import type { LaneCheckout } from "./lane-checkout.js";
import { indexEntries, laneGit, setIndexEntries, treeEntries, type LaneGit } from "./lane-git.js";
import { retryOnLock } from "./retry-on-lock.js";

export interface SnapshotLaneOptions {
  branch: string;
  /** The branch's commit now (the lane's base): the new commit's parent, and the lease for the ref update. */
  parentSha: string;
  message: string;
  authorName: string;
  authorEmail: string;
  /** Paths never committed, e.g. files copied in from the main checkout such as `.env`. */
  exclude?: readonly string[] | undefined;
  /**
   * The paths `createLaneCheckout` restored. Where the lane still has the restored version, the commit
   * keeps `parentSha`'s, so restoring agent config never shows up as a change of the lane.
   */
  restored?: readonly string[] | undefined;
}

/**
 * Commits the lane's files as they are, with the app's own git: `add -A` (honouring `.gitignore`,
 * skipping `exclude`) into the app index, `write-tree`, `commit-tree -p parentSha`, then moves the
 * branch in the repository from `parentSha` to the new commit. Nothing under `work/.git` is read, so
 * commits, config and hooks the agent made there count for nothing: only the files do. Nested
 * repositories (gitlinks the lane added or changed) are left out. Identity is pinned; hooks, filters
 * and fsmonitor are off. Returns the new head, or `parentSha` when the tree did not change.
 */
export async function snapshotLane(c: LaneCheckout, options: SnapshotLaneOptions): Promise<string> {
  if (!isSafeBranchName(options.branch)) throw new UserError(`refusing unsafe branch name ${JSON.stringify(options.branch)}`);
  const work = await lstat(c.work);
  if (!work.isDirectory()) throw new Error(`${c.work} is not a directory`);
  const git = await laneGit(c);
  const parent = await git(["rev-parse", "--verify", "--end-of-options", `${options.parentSha}^{commit}`]).then((r) => r.stdout.trim());
  const zero = "0".repeat(parent.length);
  const restored = options.restored ?? [];
  const before = await indexEntries(git, restored);
  await addAll(git, options.exclude ?? []);
  let tree = await writeTree(git);

  // Back to the parent's version: gitlinks the lane added or changed, and restored paths the lane left alone.
  const keep = new Set<string>();
  for (const [path, mode] of await changedModes(git, parent, tree)) if (mode === "160000") keep.add(path);
  const after = await indexEntries(git, restored);
  for (const path of restored) if (before.get(path) === after.get(path)) keep.add(path);
  if (keep.size > 0) {
    const theirs = await treeEntries(git, parent, [...keep]);
    const changes = new Map<string, string | null>([...keep].map((path) => [path, theirs.get(path) ?? null]));
    for (const [path, entry] of theirs) changes.set(path, entry);
    await setIndexEntries(git, changes, zero);
    tree = await writeTree(git);
  }

  if (tree === (await git(["rev-parse", "--verify", `${parent}^{tree}`])).stdout.trim()) return parent;
  const identity = {
    GIT_AUTHOR_NAME: options.authorName, GIT_AUTHOR_EMAIL: options.authorEmail,
    GIT_COMMITTER_NAME: options.authorName, GIT_COMMITTER_EMAIL: options.authorEmail,
  };
  const commit = (await git(["commit-tree", "--no-gpg-sign", "-p", parent, "-F", "-", tree], { input: options.message, env: identity })).stdout.trim();
  await retryOnLock(() => git(["update-ref", "--no-deref", "-m", "agent-race: lane snapshot", `refs/heads/${options.branch}`, commit, parent]));
  return commit;
}

/** `add -A` of the whole lane; a path git cannot add (a nested repository without a commit) is skipped, not fatal. */
async function addAll(git: LaneGit, exclude: readonly string[]): Promise<void> {
  const excluded = exclude.map((path) => `:(exclude,literal)${path}`);
  const args = ["add", "-A", "--ignore-errors", "--", ":/", ...excluded];
  const result = await git(args, { allowFailure: true });
  if (result.exitCode !== 0 && (result.exitCode !== 1 || /^fatal:/m.test(result.stderr))) throw new GitError(args, result.stderr);
}

async function writeTree(git: LaneGit): Promise<string> {
  return (await git(["write-tree"])).stdout.trim();
}

/** Each path that differs between two trees, with its mode in `to` (`000000` when deleted). */
async function changedModes(git: LaneGit, from: string, to: string): Promise<Map<string, string>> {
  const { stdout } = await git(["diff-tree", "-r", "-z", "--no-renames", "--end-of-options", from, to]);
  const fields = stdout.split("\0");
  const modes = new Map<string, string>();
  // Raw records: `:<src mode> <dst mode> <src oid> <dst oid> <status>\0<path>\0`
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const match = /^:\d{6} (\d{6}) /.exec(fields[i] ?? "");
    const path = fields[i + 1];
    if (match?.[1] && path) modes.set(path, match[1]);
  }
  return modes;
}
