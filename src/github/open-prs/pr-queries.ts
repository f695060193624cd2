import { z } from "zod";

/** The GraphQL queries behind `fetchOpenPrFiles`, and zod schemas for their answers. */

const FILES_PAGE = "pageInfo { hasNextPage endCursor } nodes { path }";
const LATEST = "latest: pullRequests(first: 1, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { updatedAt } }";

/**
 * One page of open pull requests (oldest first), with the first 100 files of each when `withFiles`, plus the
 * newest `updatedAt` over all pull requests (the watermark for later incremental listings).
 */
export function openPrsQuery(withFiles: boolean): string {
  const files = withFiles ? ` files(first: 100) { ${FILES_PAGE} }` : "";
  return `query($owner: String!, $name: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    ${LATEST}
    pullRequests(states: OPEN, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { number headRefName headRefOid updatedAt${files} }
    }
  }
}`;
}

/** Pull requests of every state, most recently updated first, and how many are open. */
export const CHANGED_PRS_QUERY = `query($owner: String!, $name: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    open: pullRequests(states: OPEN) { totalCount }
    changed: pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { number state headRefName headRefOid updatedAt }
    }
  }
}`;

/** A page of files for each of several pull requests in one query: alias `pr<N>`, cursor variable `$a<N>`. */
export function prFilesQuery(numbers: readonly number[]): string {
  for (const n of numbers) if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`invalid pull request number ${n}`);
  const declarations = numbers.map((n) => `, $a${n}: String`).join("");
  const fields = numbers.map(
    (n) => `    pr${n}: pullRequest(number: ${n}) { number state headRefName headRefOid files(first: 100, after: $a${n}) { ${FILES_PAGE} } }`,
  );
  return `query($owner: String!, $name: String!${declarations}) {\n  repository(owner: $owner, name: $name) {\n${fields.join("\n")}\n  }\n}`;
}

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const filesPage = z.object({ pageInfo, nodes: z.array(z.object({ path: z.string() }).nullable()) });
export type FilesPage = z.output<typeof filesPage>;

const prFields = { number: z.number().int().positive(), headRefName: z.string(), headRefOid: z.string() };
const updatedAt = z.string().refine((text) => Number.isFinite(Date.parse(text)), "expected an ISO date");

export const openPrsSchema = z.object({
  repository: z.object({
    latest: z.object({ nodes: z.array(z.object({ updatedAt }).nullable()) }),
    pullRequests: z.object({
      totalCount: z.number().int(),
      pageInfo,
      nodes: z.array(z.object({ ...prFields, updatedAt, files: filesPage.nullish() }).nullable()),
    }),
  }),
});

export const changedPrsSchema = z.object({
  repository: z.object({
    open: z.object({ totalCount: z.number().int() }),
    changed: z.object({
      pageInfo,
      nodes: z.array(z.object({ ...prFields, state: z.enum(["OPEN", "CLOSED", "MERGED"]), updatedAt }).nullable()),
    }),
  }),
});

/** `repository` maps each `pr<N>` alias to the pull request, or null when it no longer exists. */
export const prFilesSchema = z.object({
  repository: z.record(
    z.string(),
    z.object({ ...prFields, state: z.enum(["OPEN", "CLOSED", "MERGED"]), files: filesPage.nullish() }).nullable(),
  ),
});
