import { chmod, lstat, readdir, readFile, rm, rmdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UserError } from "../errors.js";

/** The file `createLaneCheckout` writes first into every lane directory: what makes it one. */
export const LANE_MARKER = "agent-race-lane";

/**
 * Removes a lane directory (`createLaneCheckout`'s) and everything in it, never following a symlink:
 * links inside are removed as links, and directories the lane made unwritable are made writable first.
 * Does nothing when it is gone. Refuses a symlink, a file, and any directory that is neither a lane
 * (its marker file) nor empty nor a linked worktree of an older agent-race: never a checkout or a repository.
 */
export async function removeLaneCheckout(dir: string): Promise<void> {
  const path = resolve(dir);
  const stat = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (!stat) return;
  const kind = stat.isDirectory() ? await laneDirKind(path) : null;
  if (kind === null) throw new UserError(`refusing to remove ${path}: it is not an agent-race lane directory`);
  if (kind === "empty") return rmdir(path);
  try {
    await rm(path, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EPERM" && code !== "ENOTEMPTY") throw error;
    await makeWritable(path);
    await rm(path, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function laneDirKind(path: string): Promise<"lane" | "legacy-worktree" | "empty" | null> {
  const entries = await readdir(path);
  if (entries.length === 0) return "empty";
  if ((await lstat(join(path, LANE_MARKER)).catch(() => null))?.isFile()) return "lane";
  // Before lane checkouts, a lane was `git worktree add`: its `.git` is a file naming `<repo>/worktrees/<name>`.
  const dotGit = await lstat(join(path, ".git")).catch(() => null);
  if (dotGit?.isFile() && dotGit.size < 4096) {
    const text = await readFile(join(path, ".git"), "utf8");
    if (/^gitdir: [^\n]*[/\\]worktrees[/\\][^/\\\n]+\n?$/.test(text)) return "legacy-worktree";
  }
  return null;
}

/** Gives the owner rwx on every directory below `path` (symlinks are not followed). */
async function makeWritable(path: string): Promise<void> {
  const stat = await lstat(path).catch(() => null);
  if (!stat?.isDirectory()) return;
  await chmod(path, 0o700).catch(() => undefined);
  for (const entry of await readdir(path).catch(() => [])) await makeWritable(join(path, entry));
}
