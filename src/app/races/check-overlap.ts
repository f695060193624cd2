import type { GitAccess, GitAuth } from "../../git/auth-scope.js";
import { fetchPullHeads } from "../../git/fetch-pull-heads.js";
import { ensureMirror } from "../../git/mirror-cache.js";
import { applyOverlapPolicy } from "../../overlap/apply-overlap-policy.js";
import { changedFiles } from "../../overlap/changed-files.js";
import { classifyOverlaps } from "../../overlap/classify-overlap.js";
import { findOverlaps } from "../../overlap/find-overlaps.js";
import type { ClassifiedOverlap, OverlapPolicy, PrFilesStore } from "../../model/overlap.js";
import type { RepoClient } from "../../github/repo-client.js";
import type { LaneResult } from "../../model/race-report.js";

export interface OverlapVerdict {
  overlaps: ClassifiedOverlap[];
  /** Lanes ranked after equal lanes (`penalize`). */
  penalized: ReadonlySet<number>;
  /** Lanes that open no PR, with the PRs that block them (`block`). */
  blocked: ReadonlyMap<number, number[]>;
  /** Open PRs looked at, and the GraphQL requests it took. */
  openPrs: number;
  requests: number;
}

/**
 * Before any PR is opened: the repo's open PRs and their files (batched GraphQL, cached by head
 * SHA), the files each lane shares with them, and whether each pair merges (`git merge-tree` in
 * the mirror, no checkout). The policy then decides what the race does about real conflicts.
 */
export async function checkOverlap(
  input: { raceId: string; repo: { id: number; owner: string; name: string; cloneUrl: string }; baseSha: string; lanes: readonly LaneResult[]; policy: OverlapPolicy },
  deps: { github: Pick<RepoClient, "openPrFiles">; cache: PrFilesStore; cacheDir: string; gitAuth: (access: GitAccess) => Promise<GitAuth> },
): Promise<OverlapVerdict> {
  const empty: OverlapVerdict = { overlaps: [], penalized: new Set(), blocked: new Map(), openPrs: 0, requests: 0 };
  const lanes = input.lanes.filter((lane) => lane.head !== null);
  if (lanes.length === 0) return empty;
  const { prs, requests } = await deps.github.openPrFiles(deps.cache);
  if (prs.length === 0) return { ...empty, requests };
  const { authHeader, authScope } = await deps.gitAuth("read");
  const mirror = await ensureMirror({
    cacheDir: deps.cacheDir, owner: input.repo.owner, repo: input.repo.name, cloneUrl: input.repo.cloneUrl, authHeader, authScope,
    wantShas: [input.baseSha, ...lanes.map((lane) => lane.head as string)], fetch: "if-missing",
  });
  const laneFiles = await Promise.all(lanes.map(async (lane) => ({ lane: lane.lane, head: lane.head as string, files: await changedFiles(mirror, input.baseSha, lane.head as string) })));
  const overlaps = findOverlaps({ lanes: laneFiles, prs, raceId: input.raceId });
  if (overlaps.length === 0) return { ...empty, openPrs: prs.length, requests };
  await fetchPullHeads(mirror, [...new Set(overlaps.map((o) => o.pr.number))], authHeader, { authScope });
  const classified = await classifyOverlaps(mirror, overlaps);
  const { penalized, blocked } = applyOverlapPolicy(input.lanes, classified, input.policy);
  return { overlaps: classified, penalized, blocked, openPrs: prs.length, requests };
}
