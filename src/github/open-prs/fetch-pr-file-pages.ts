import type { OpenPr } from "../../model/overlap.js";
import { prFilesQuery, prFilesSchema } from "./pr-queries.js";
import { runGraphql, type GraphqlClient, type RequestCounter } from "./run-graphql.js";

/** A pull request whose files are (still) wanted: the pages read so far, and where the next one starts. */
export interface WantedFiles {
  number: number;
  headSha: string;
  paths: string[];
  after: string | null;
}

export interface FilePagesResult {
  /** Complete file lists, with the head they belong to (which may have moved since the listing). */
  complete: OpenPr[];
  /** Pull requests closed, merged or deleted meanwhile. */
  gone: number[];
}

/** GitHub lists at most 3000 files of a pull request. */
const MAX_FILES = 3000;
/** A head that keeps moving while its files are read is given up (treated as gone) after this many restarts. */
const MAX_RESTARTS = 3;

/**
 * Reads the remaining file pages of several pull requests, `batchSize` of them per request (aliases
 * `pr<N>`), until each list is complete. A pull request whose head moved starts over from its first page.
 */
export async function fetchPrFilePages(
  client: GraphqlClient,
  counter: RequestCounter,
  repo: { owner: string; repo: string },
  wanted: readonly WantedFiles[],
  batchSize: number,
): Promise<FilePagesResult> {
  const result: FilePagesResult = { complete: [], gone: [] };
  const restarts = new Map<number, number>();
  let pending = wanted.map((w) => ({ ...w, paths: [...w.paths] }));
  while (pending.length > 0) {
    const batch = pending.slice(0, Math.max(1, batchSize));
    const rest = pending.slice(batch.length);
    const variables: Record<string, unknown> = { owner: repo.owner, name: repo.repo };
    for (const item of batch) variables[`a${item.number}`] = item.after;
    const query = prFilesQuery(batch.map((item) => item.number));
    const answer = (await runGraphql(client, counter, query, variables, prFilesSchema)).repository;
    const again: WantedFiles[] = [];
    for (const item of batch) {
      const node = answer[`pr${item.number}`];
      if (!node || node.state !== "OPEN") {
        result.gone.push(item.number);
        continue;
      }
      if (node.headRefOid !== item.headSha) {
        const count = (restarts.get(item.number) ?? 0) + 1;
        restarts.set(item.number, count);
        if (count > MAX_RESTARTS) result.gone.push(item.number);
        else again.push({ number: item.number, headSha: node.headRefOid, paths: [], after: null });
        continue;
      }
      const page = node.files;
      item.paths.push(...(page?.nodes ?? []).flatMap((file) => (file ? [file.path] : [])));
      const next = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      if (next && item.paths.length < MAX_FILES) again.push({ ...item, after: next });
      else result.complete.push({ number: item.number, headRefName: node.headRefName, headSha: node.headRefOid, files: item.paths });
    }
    // Unfinished ones go to the back, so every pull request advances once per round.
    pending = [...rest, ...again];
  }
  result.complete.sort((a, b) => a.number - b.number);
  result.gone.sort((a, b) => a - b);
  return result;
}
