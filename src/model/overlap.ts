/** An open pull request and the paths it changes (GitHub's `files`: new paths only, renames show the new path). */
export interface OpenPr {
  number: number;
  headRefName: string;
  headSha: string;
  files: string[];
}

/** An open pull request without its files. */
export type PrRef = Omit<OpenPr, "files">;

/** One lane of a race: its head commit and the files it changed against the race's base. */
export interface LaneFiles {
  lane: number;
  head: string;
  files: readonly string[];
}

/** A lane and an open pull request that change some of the same files. */
export interface Overlap {
  lane: number;
  laneHead: string;
  pr: PrRef;
  /** The shared paths, sorted. */
  files: string[];
}

export type OverlapKind = "clean" | "conflict";

/** An overlap after an in-memory merge of the lane's head with the pull request's head. */
export interface ClassifiedOverlap extends Overlap {
  kind: OverlapKind;
  /** Paths git could not merge (empty when clean), sorted. */
  conflicts: string[];
}

/** What the race does about conflicting overlaps: mention them, rank such lanes lower, or open no PR for them. */
export type OverlapPolicy = "warn" | "penalize" | "block";

/** A repository: its numeric id or its `owner/name` (case-insensitive). */
export type RepoKey = number | string;

/** The open pull requests as last seen, for cheap incremental listings (see `fetchOpenPrFiles`). */
export interface OpenPrIndex {
  /** When the index was last built from a full listing (ms since the epoch, this machine's clock). */
  syncedAt: number;
  /** GitHub's newest `updatedAt` over all pull requests when last synced; null when there were none. */
  watermark: string | null;
  prs: PrRef[];
}

/**
 * Where `fetchOpenPrFiles` keeps each pull request's complete file list by head sha (a head sha
 * fixes the diff, so an entry never goes stale) and the repository's open-PR index;
 * `redis/pr-files-cache.ts` keeps them in Redis.
 */
export interface PrFilesStore {
  /** The stored file lists among `headShas`. */
  getMany(repo: RepoKey, headShas: readonly string[]): Promise<Map<string, string[]>>;
  /** Stores several head sha → files entries. */
  setMany(repo: RepoKey, entries: ReadonlyMap<string, readonly string[]>): Promise<void>;
  getIndex(repo: RepoKey): Promise<OpenPrIndex | null>;
  setIndex(repo: RepoKey, index: OpenPrIndex): Promise<void>;
}
