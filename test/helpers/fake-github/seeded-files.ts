import { createHash } from "node:crypto";
import type { DiffFile } from "./diff-files.js";
import type { FakeRepoState } from "./types.js";

/**
 * The files of head commits written by seed-pulls.ts, recorded as they are written, so both ways of reading
 * a pull request's files (GraphQL `files`, REST `GET …/pulls/:n/files`) answer 1,000 seeded PRs without a
 * git diff per PR. Heads moved later (pushes) are not here: their files come from git.
 */
export interface SeededFile {
  path: string;
  /** The blob's git sha, as `git hash-object` computes it. */
  sha: string;
  additions: number;
}

const seeded = new WeakMap<FakeRepoState, Map<string, SeededFile[]>>();

/** Records the files a head commit writes on top of its base (path → content), sorted by path. */
export function seedFiles(repo: FakeRepoState, headSha: string, files: Readonly<Record<string, string>>): void {
  const map = seeded.get(repo) ?? new Map<string, SeededFile[]>();
  seeded.set(repo, map);
  const entries = Object.entries(files).map(([path, content]) => ({ path, sha: blobSha(content), additions: lineCount(content) }));
  map.set(headSha, entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
}

export function seededFiles(repo: FakeRepoState, headSha: string): readonly SeededFile[] | undefined {
  return seeded.get(repo)?.get(headSha);
}

/** A seeded head's files in the REST shape (`status: "modified"` and no patch, like GraphQL's MODIFIED). */
export function seededDiffFiles(repo: FakeRepoState, headSha: string): DiffFile[] | undefined {
  return seededFiles(repo, headSha)?.map((f) => ({ sha: f.sha, filename: f.path, status: "modified", additions: f.additions, deletions: 0, changes: f.additions }));
}

function blobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function lineCount(content: string): number {
  if (content === "") return 0;
  return content.split("\n").length - (content.endsWith("\n") ? 1 : 0);
}
