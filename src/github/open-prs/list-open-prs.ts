import type { PrRef } from "../../model/overlap.js";
import { openPrsQuery, openPrsSchema, type FilesPage } from "./pr-queries.js";
import { runGraphql, type GraphqlClient, type RequestCounter } from "./run-graphql.js";

/** The first page of a pull request's files, as the listing returned it. */
export interface FirstFiles {
  paths: string[];
  /** Where the next page starts; null when `paths` is the complete list. */
  after: string | null;
}

export interface OpenPrListing {
  prs: PrRef[];
  /** Number → first files page (only when listed with files). */
  files: Map<number, FirstFiles>;
  /** The newest `updatedAt` over all pull requests when the listing started. */
  watermark: string | null;
}

export interface ListOpenPrsOptions {
  withFiles: boolean;
  /** Pull requests per page (max 100); halved, down to 10, when GitHub answers 5xx (heavy queries time out). */
  pageSize: number;
}

const MIN_PAGE = 10;

/** Lists every open pull request, 100 per request, optionally with its first 100 files. */
export async function listOpenPrs(
  client: GraphqlClient,
  counter: RequestCounter,
  repo: { owner: string; repo: string },
  options: ListOpenPrsOptions,
): Promise<OpenPrListing> {
  const listing: OpenPrListing = { prs: [], files: new Map(), watermark: null };
  const seen = new Set<number>();
  const query = openPrsQuery(options.withFiles);
  let pageSize = Math.min(100, Math.max(1, options.pageSize));
  let after: string | null = null;
  let first = true;
  for (;;) {
    let page;
    try {
      const variables: Record<string, unknown> = { owner: repo.owner, name: repo.repo, first: pageSize, after };
      page = (await runGraphql(client, counter, query, variables, openPrsSchema)).repository;
    } catch (error) {
      if (!isServerError(error) || pageSize <= MIN_PAGE) throw error;
      pageSize = Math.max(MIN_PAGE, Math.floor(pageSize / 2));
      continue;
    }
    if (first) listing.watermark = page.latest.nodes[0]?.updatedAt ?? null;
    first = false;
    for (const node of page.pullRequests.nodes) {
      if (!node || seen.has(node.number)) continue;
      seen.add(node.number);
      listing.prs.push({ number: node.number, headRefName: node.headRefName, headSha: node.headRefOid });
      if (options.withFiles) listing.files.set(node.number, firstFiles(node.files));
    }
    const { hasNextPage, endCursor } = page.pullRequests.pageInfo;
    if (!hasNextPage || !endCursor) return listing;
    after = endCursor;
  }
}

function firstFiles(page: FilesPage | null | undefined): FirstFiles {
  if (!page) return { paths: [], after: null };
  const paths = page.nodes.flatMap((node) => (node ? [node.path] : []));
  return { paths, after: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null };
}

function isServerError(error: unknown): boolean {
  const status = typeof error === "object" && error !== null && "status" in error ? Number(error.status) : 0;
  return status >= 500 && status <= 599;
}
