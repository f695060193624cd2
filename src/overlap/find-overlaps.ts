import { BRANCH_ROOT, slugify } from "../git/branch-name.js";
import type { LaneFiles, OpenPr, Overlap } from "../model/overlap.js";

export interface FindOverlapsInput {
  lanes: readonly LaneFiles[];
  prs: readonly OpenPr[];
  /** The race's own pull requests, left out. */
  ownNumbers?: readonly number[];
  /** The race's id: pull requests from its lane branches (`agent-race/<slug>-<raceId>/…`) are left out. */
  raceId?: string;
}

/**
 * For each lane, the open pull requests that change some of the same files, with the shared paths
 * (sorted). Ordered by lane, then pull request number. Pure.
 */
export function findOverlaps(input: FindOverlapsInput): Overlap[] {
  const own = new Set(input.ownNumbers ?? []);
  const suffix = input.raceId === undefined ? null : `-${slugify(input.raceId, 32, "race")}`;
  const isOwnBranch = (ref: string): boolean => {
    const [root, folder, rest] = ref.split("/", 3);
    return suffix !== null && root === BRANCH_ROOT && folder !== undefined && folder.endsWith(suffix) && rest !== undefined;
  };
  const prs = input.prs.filter((pr) => !own.has(pr.number) && !isOwnBranch(pr.headRefName)).sort((a, b) => a.number - b.number);
  const overlaps: Overlap[] = [];
  for (const lane of [...input.lanes].sort((a, b) => a.lane - b.lane)) {
    const mine = new Set(lane.files);
    if (mine.size === 0) continue;
    for (const pr of prs) {
      const shared = [...new Set(pr.files.filter((path) => mine.has(path)))].sort();
      if (shared.length === 0) continue;
      overlaps.push({ lane: lane.lane, laneHead: lane.head, pr: { number: pr.number, headRefName: pr.headRefName, headSha: pr.headSha }, files: shared });
    }
  }
  return overlaps;
}
