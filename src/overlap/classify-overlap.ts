import { mapLimit } from "../pipeline/map-limit.js";
import { mergeOverlap } from "./merge-overlap.js";
import type { ClassifiedOverlap, Overlap } from "../model/overlap.js";

export interface ClassifyOptions {
  /** Merges at once. Default 4. */
  concurrency?: number;
}

/**
 * Classifies each overlap by merging the lane's head with the pull request's head in `repoDir` (the bare
 * mirror, with the PR heads fetched beforehand by `fetchPullHeads`): clean, or a conflict with its paths.
 * Overlaps whose PR head is not in `repoDir` (the PR vanished before its fetch) are left out.
 */
export async function classifyOverlaps(repoDir: string, overlaps: readonly Overlap[], options: ClassifyOptions = {}): Promise<ClassifiedOverlap[]> {
  const verdicts = await mapLimit(overlaps, options.concurrency ?? 4, (overlap) => mergeOverlap(repoDir, overlap.laneHead, overlap.pr.headSha, overlap.files));
  return overlaps.flatMap((overlap, i) => {
    const verdict = verdicts[i];
    return verdict ? [{ ...overlap, ...verdict }] : [];
  });
}
