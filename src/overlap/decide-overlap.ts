import type { MergeTreeResult } from "../git/merge-tree.js";
import type { OverlapKind } from "../model/overlap.js";

/**
 * The verdict on an overlap from the in-memory merge of its two heads: clean, or a conflict with the
 * paths git could not merge (all of them, even ones outside `files`, e.g. the other side of a rename;
 * `files` stand in when git named none). Null when there was no merge to judge (a head was missing). Pure.
 */
export function decideOverlap(files: readonly string[], merge: MergeTreeResult | null): { kind: OverlapKind; conflicts: string[] } | null {
  if (merge === null) return null;
  if (merge.clean) return { kind: "clean", conflicts: [] };
  const named = merge.conflicts.length > 0 ? merge.conflicts : files;
  return { kind: "conflict", conflicts: [...new Set(named)].sort() };
}
