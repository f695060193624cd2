import { GitError } from "../errors.js";
import { runGit } from "./git.js";

export interface MergeTreeResult {
  clean: boolean;
  /** Paths with conflicts, each once. */
  conflicts: string[];
}

/**
 * Merges `theirs` into `ours` in memory (`git merge-tree --write-tree`): no index, HEAD or working tree
 * is touched. Exit 0 is a clean merge, 1 a merge with conflicts; anything else throws `GitError`.
 */
export async function mergeTree(repoDir: string, ours: string, theirs: string): Promise<MergeTreeResult> {
  const args = ["merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", "--end-of-options", ours, theirs];
  const result = await runGit(args, { cwd: repoDir, allowFailure: true });
  // Output: `<tree oid>\0` then, with conflicts, one `<path>\0` per conflicted path.
  const [tree = "", ...paths] = result.stdout.split("\0");
  // git 2.39 also exits 1 (with no tree) when a ref does not resolve.
  const ok = (result.exitCode === 0 || result.exitCode === 1) && /^[0-9a-f]{40,64}$/.test(tree);
  if (!ok) throw new GitError(args, result.stderr || `exit code ${result.exitCode}`);
  const conflicts = [...new Set(paths.filter((path) => path.length > 0))];
  return { clean: result.exitCode === 0, conflicts };
}
