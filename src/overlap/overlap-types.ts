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
