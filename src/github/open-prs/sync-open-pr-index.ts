import type { OpenPrIndex, PrRef } from "../../model/overlap.js";
import { CHANGED_PRS_QUERY, changedPrsSchema } from "./pr-queries.js";
import { runGraphql, type GraphqlClient, type RequestCounter } from "./run-graphql.js";

export interface SyncOptions {
  pageSize: number;
  /** Pull requests updated up to this long before the watermark are looked at again (GitHub's clock, lag). */
  marginMs: number;
}

/**
 * Brings an index up to date from the pull requests updated since its watermark (any state, newest first;
 * opening, closing, reopening and pushing to a pull request all bump its `updatedAt`): usually one request.
 * Returns null when the result disagrees with GitHub's count of open pull requests, so the caller lists
 * everything again.
 */
export async function syncOpenPrIndex(
  client: GraphqlClient,
  counter: RequestCounter,
  repo: { owner: string; repo: string },
  index: OpenPrIndex,
  options: SyncOptions,
): Promise<OpenPrIndex | null> {
  if (index.watermark === null) return null;
  const since = Date.parse(index.watermark) - options.marginMs;
  if (!Number.isFinite(since)) return null;
  const prs = new Map<number, PrRef>(index.prs.map((pr) => [pr.number, pr]));
  const seen = new Set<number>();
  let watermark = index.watermark;
  let openCount: number | null = null;
  let after: string | null = null;
  for (;;) {
    const variables: Record<string, unknown> = { owner: repo.owner, name: repo.repo, first: Math.min(100, Math.max(1, options.pageSize)), after };
    const page = (await runGraphql(client, counter, CHANGED_PRS_QUERY, variables, changedPrsSchema)).repository;
    openCount ??= page.open.totalCount;
    let oldest = Number.POSITIVE_INFINITY;
    for (const node of page.changed.nodes) {
      if (!node) continue;
      const updated = Date.parse(node.updatedAt);
      oldest = Math.min(oldest, updated);
      if (updated > Date.parse(watermark)) watermark = node.updatedAt;
      // Newest first: the first sighting of a number is its current state.
      if (seen.has(node.number)) continue;
      seen.add(node.number);
      if (node.state === "OPEN") prs.set(node.number, { number: node.number, headRefName: node.headRefName, headSha: node.headRefOid });
      else prs.delete(node.number);
    }
    const { hasNextPage, endCursor } = page.changed.pageInfo;
    if (!hasNextPage || !endCursor || oldest < since) break;
    after = endCursor;
  }
  if (prs.size !== openCount) return null;
  return { syncedAt: index.syncedAt, watermark, prs: [...prs.values()].sort((a, b) => a.number - b.number) };
}
