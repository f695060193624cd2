import { realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";

/**
 * Resolves a report path from the repo config inside the worktree `cwd`, and refuses one that
 * leaves it, also through a symlinked directory that the lane's code may have created. The last
 * component is never followed: the result names the entry itself (which may be a symlink, a FIFO,
 * anything), in its real directory, for the caller to lstat, remove or refuse.
 */
export async function resolveReportPath(cwd: string, path: string): Promise<string> {
  const root = await realpath(cwd);
  const target = resolve(root, path);
  if (target === root || !isInside(root, target)) throw new Error(`report path ${path} is outside the worktree`);
  let existing = dirname(target);
  for (;;) {
    const real = await realpath(existing).catch(() => null);
    if (real !== null) {
      if (!isInside(root, real)) throw new Error(`report path ${path} leads outside the worktree through a symlink`);
      // Directories below `existing` do not exist yet, so they cannot be symlinks.
      return join(real, relative(existing, dirname(target)), basename(target));
    }
    if (dirname(existing) === existing) throw new Error(`cannot resolve report path ${path}`);
    existing = dirname(existing);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
