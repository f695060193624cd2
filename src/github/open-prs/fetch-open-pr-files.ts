import { fetchPrFilePages, type WantedFiles } from "./fetch-pr-file-pages.js";
import { listOpenPrs, type FirstFiles } from "./list-open-prs.js";
import type { OpenPr, OpenPrIndex, PrFilesStore, PrRef } from "../../model/overlap.js";
import type { GraphqlClient, RequestCounter } from "./run-graphql.js";
import { syncOpenPrIndex } from "./sync-open-pr-index.js";

export type { OpenPr } from "../../model/overlap.js";

export interface FetchOpenPrFilesOptions {
  cache: PrFilesStore;
  /** Pull requests to leave out (the race's own); their files are never fetched. */
  excludeNumbers?: readonly number[];
  /** List every open pull request again when the index is older than this. Default 6 hours. */
  resyncAfterMs?: number;
  /** Pull requests per listing page (max 100). Default 100. */
  pageSize?: number;
  /** Pull requests per follow-up files query. Default 50. */
  batchSize?: number;
  /** Clock for the index age; default `Date.now`. */
  now?: () => number;
}

const HOUR = 3600_000;
const MARGIN_MS = 2 * 60_000;

/**
 * Every open pull request of `repo` with its complete list of changed files, in as few GraphQL requests as
 * possible. File lists are cached by head sha, so an unchanged pull request is never fetched twice.
 *
 * - Cold (no index in the cache): list open PRs 100 per page with their first 100 files, then page the
 *   remaining files of bigger PRs in batched queries. 1,000 PRs ≈ 10 + a few requests.
 * - Warm: one query for the pull requests updated since the last call (any state, newest first), checked
 *   against the open count; then one batched query for the files of new heads. Unchanged: 1 request.
 * - An index older than `resyncAfterMs`, or one that disagrees with the open count: list again without files.
 *
 * PRs closed or deleted between the listing and a files query are dropped. Returns the PRs by number.
 */
export async function fetchOpenPrFiles(
  octokit: GraphqlClient,
  repo: { owner: string; repo: string },
  options: FetchOpenPrFilesOptions,
): Promise<{ prs: OpenPr[]; requests: number }> {
  const { cache } = options;
  const counter: RequestCounter = { requests: 0 };
  const repoKey = `${repo.owner}/${repo.repo}`;
  const now = (options.now ?? Date.now)();
  const pageSize = options.pageSize ?? 100;

  // 1. Which pull requests are open, at which heads.
  const stored = await cache.getIndex(repoKey);
  const fresh = stored !== null && now - stored.syncedAt < (options.resyncAfterMs ?? 6 * HOUR);
  let index = fresh ? await syncOpenPrIndex(octokit, counter, repo, stored, { pageSize, marginMs: MARGIN_MS }) : null;
  let listed = new Map<number, FirstFiles>();
  if (!index) {
    const listing = await listOpenPrs(octokit, counter, repo, { withFiles: stored === null, pageSize });
    index = { syncedAt: now, watermark: listing.watermark, prs: listing.prs };
    listed = listing.files;
  }

  // 2. Files: cached by head sha, complete from the listing, or fetched in batches.
  const excluded = new Set(options.excludeNumbers ?? []);
  const wantedPrs = index.prs.filter((pr) => !excluded.has(pr.number));
  const cached = await cache.getMany(repoKey, wantedPrs.map((pr) => pr.headSha));
  const found = new Map<number, OpenPr>();
  const toStore = new Map<string, string[]>();
  const wanted: WantedFiles[] = [];
  for (const pr of wantedPrs) {
    const hit = cached.get(pr.headSha);
    const first = listed.get(pr.number);
    if (hit) found.set(pr.number, { ...pr, files: hit });
    else if (first && first.after === null) {
      found.set(pr.number, { ...pr, files: first.paths });
      toStore.set(pr.headSha, first.paths);
    } else wanted.push({ number: pr.number, headSha: pr.headSha, paths: first?.paths ?? [], after: first?.after ?? null });
  }
  const pages = await fetchPrFilePages(octokit, counter, repo, wanted, options.batchSize ?? 50);
  for (const pr of pages.complete) {
    found.set(pr.number, pr);
    toStore.set(pr.headSha, pr.files);
  }

  // 3. Remember what was learnt: heads that moved meanwhile, PRs that are gone.
  await cache.setMany(repoKey, toStore);
  await cache.setIndex(repoKey, updateIndex(index, pages.complete, pages.gone));
  return { prs: [...found.values()].sort((a, b) => a.number - b.number), requests: counter.requests };
}

function updateIndex(index: OpenPrIndex, moved: readonly PrRef[], gone: readonly number[]): OpenPrIndex {
  const prs = new Map(index.prs.map((pr) => [pr.number, pr]));
  for (const pr of moved) prs.set(pr.number, { number: pr.number, headRefName: pr.headRefName, headSha: pr.headSha });
  for (const number of gone) prs.delete(number);
  return { ...index, prs: [...prs.values()].sort((a, b) => a.number - b.number) };
}
