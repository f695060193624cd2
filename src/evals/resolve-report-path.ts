import { realpath } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";

/**
 * Resolves a report path from the repo config inside the worktree `cwd`, and refuses one that
 * leaves it, also through a symlinked file or directory that the lane's code may have created.
 */
export async function resolveReportPath(cwd: string, path: string): Promise<string> {
  const root = await realpath(cwd);
  const target = resolve(root, path);
  if (!isInside(root, target)) throw new Error(`report path ${path} is outside the worktree`);
  let existing = target;
  for (;;) {
    const real = await realpath(existing).catch(() => null);
    if (real !== null) {
      if (!isInside(root, real)) throw new Error(`report path ${path} leads outside the worktree through a symlink`);
      return target;
    }
    if (dirname(existing) === existing) throw new Error(`cannot resolve report path ${path}`);
    existing = dirname(existing);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
