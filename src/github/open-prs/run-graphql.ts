import { z } from "zod";
import type { GitHubClient } from "../client/github-client.js";

/** The part of an Octokit that the open-PR queries use. */
export type GraphqlClient = Pick<GitHubClient, "graphql">;

/** Counts the API requests one operation makes (failed attempts included). */
export interface RequestCounter {
  requests: number;
}

const errorList = z.array(z.object({ type: z.string().optional() }).passthrough());

/**
 * Runs one GraphQL request and validates its `data` with `schema`. A response whose only errors are
 * NOT_FOUND (a pull request deleted between two queries) still yields its partial data.
 */
export async function runGraphql<T>(
  client: GraphqlClient,
  counter: RequestCounter,
  query: string,
  variables: Record<string, unknown>,
  schema: z.ZodType<T>,
): Promise<T> {
  counter.requests += 1;
  let data: unknown;
  try {
    data = await client.graphql(query, variables);
  } catch (error) {
    data = notFoundOnly(error);
    if (data === undefined) throw error;
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new Error(`unexpected GraphQL response: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The partial data of a GraphqlResponseError whose errors are all NOT_FOUND, else undefined. */
function notFoundOnly(error: unknown): unknown {
  if (typeof error !== "object" || error === null || !("errors" in error) || !("data" in error)) return undefined;
  const errors = errorList.safeParse(error.errors);
  if (!errors.success || errors.data.length === 0 || errors.data.some((e) => e.type !== "NOT_FOUND")) return undefined;
  return error.data ?? undefined;
}
