import { runGit } from "../git/git.js";
import { mergeTree } from "../git/merge-tree.js";
import { decideOverlap } from "./decide-overlap.js";
import type { OverlapKind } from "../model/overlap.js";

/**
 * Merges `theirs` into `ours` in memory (`git merge-tree`, nothing on disk changes) and judges the overlap on
 * `files`. Null when either commit is missing from `repoDir` (fetch pull request heads first: `fetchPullHeads`);
 * other git failures throw.
 */
export async function mergeOverlap(
  repoDir: string,
  ours: string,
  theirs: string,
  files: readonly string[],
): Promise<{ kind: OverlapKind; conflicts: string[] } | null> {
  const check = await runGit(["cat-file", "--batch-check=%(objecttype)"], { cwd: repoDir, input: `${ours}^{commit}\n${theirs}^{commit}\n` });
  if (check.stdout.split("\n").filter(Boolean).some((line) => line !== "commit")) return decideOverlap(files, null);
  return decideOverlap(files, await mergeTree(repoDir, ours, theirs));
}
