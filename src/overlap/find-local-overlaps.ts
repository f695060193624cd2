import { UserError } from "../errors.js";
import { runGit } from "../git/git.js";
import { resolveRepo } from "../git/repo-info.js";
import { mapLimit } from "../pipeline/map-limit.js";
import { RaceStore } from "../local/race-store.js";
import { changedFiles } from "./changed-files.js";
import { mergeOverlap } from "./merge-overlap.js";
import type { OverlapKind } from "../model/overlap.js";

/** `agent-race overlap --json`: snake_case like the race report. */
export interface LocalOverlapReport {
  race: string;
  base: string;
  base_sha: string;
  /** The race's lanes; `head` is null when the lane's branch no longer exists (not checked). */
  lanes: Array<{ lane: number; agent: string; branch: string; head: string | null; files: string[] }>;
  /** How many other local branches were compared. */
  other_branches: number;
  overlaps: Array<{
    lane: number;
    branch: string;
    other: string;
    other_head: string;
    /** The race the other branch is a lane of, if any. */
    other_race: string | null;
    files: string[];
    kind: OverlapKind;
    conflicts: string[];
  }>;
}

/**
 * Local mode: the overlap of each lane branch of a race (default: the newest) with every other local branch —
 * all of them but the race's own lanes and its base, other races' lane branches included — as changed files
 * since the race's base, and clean or conflicting by an in-memory merge (`git merge-tree`).
 */
export async function findLocalOverlaps(input: { cwd: string; raceId?: string | undefined }): Promise<LocalOverlapReport> {
  const repo = await resolveRepo(input.cwd);
  const repoDir = repo.topLevel ?? repo.commonDir;
  const records = await new RaceStore(repo.commonDir).list();
  const record = input.raceId === undefined ? records[0] : records.find((r) => r.id === input.raceId);
  if (!record) {
    throw new UserError(input.raceId === undefined ? "no races in this repository yet" : `no race "${input.raceId}" in this repository; see \`agent-race list\``);
  }
  const heads = await branchHeads(repoDir);
  const laneOf = new Map(records.filter((r) => r.id !== record.id).flatMap((r) => r.lanes.map((l) => [l.branch, r.id] as const)));
  const own = new Set(record.lanes.map((lane) => lane.branch));
  const files = (head: string): Promise<string[]> => (head === record.base_sha ? Promise.resolve([]) : changedFiles(repoDir, record.base_sha, head));

  const lanes = await mapLimit(record.lanes, 4, async (lane) => {
    const head = heads.get(lane.branch) ?? null;
    return { lane: lane.lane, agent: lane.agent, branch: lane.branch, head, files: head ? await files(head) : [] };
  });
  const others = [...heads].filter(([branch]) => !own.has(branch) && branch !== record.base);
  const otherFiles = await mapLimit(others, 4, ([, head]) => files(head));

  const pairs = lanes.flatMap(({ head: laneHead, ...lane }) => {
    const mine = new Set(lane.files);
    return others.flatMap(([other, otherHead], i) => {
      const shared = (otherFiles[i] ?? []).filter((path) => mine.has(path));
      return laneHead && shared.length > 0 ? [{ lane, laneHead, other, otherHead, shared }] : [];
    });
  });
  const verdicts = await mapLimit(pairs, 4, (p) => mergeOverlap(repoDir, p.laneHead, p.otherHead, p.shared));
  const overlaps = pairs.flatMap((p, i) => {
    const verdict = verdicts[i];
    if (!verdict) return [];
    const { lane, other, otherHead, shared } = p;
    return [{ lane: lane.lane, branch: lane.branch, other, other_head: otherHead, other_race: laneOf.get(other) ?? null, files: shared, ...verdict }];
  });
  overlaps.sort((a, b) => a.lane - b.lane || a.other.localeCompare(b.other));
  return { race: record.id, base: record.base, base_sha: record.base_sha, lanes, other_branches: others.length, overlaps };
}

/** Every local branch → its commit. */
async function branchHeads(repoDir: string): Promise<Map<string, string>> {
  const { stdout } = await runGit(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/"], { cwd: repoDir });
  const heads = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const at = line.indexOf(" refs/heads/");
    if (at > 0) heads.set(line.slice(at + " refs/heads/".length), line.slice(0, at));
  }
  return heads;
}
