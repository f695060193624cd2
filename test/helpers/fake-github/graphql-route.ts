/**
 * `POST /api/graphql` — recognises a few operations by regex on the query text (no parser).
 * Field arguments may be literals or `$variables`. Aliases and fragments are NOT supported.
 * Supported shapes:
 *
 * 1. mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { id number isDraft } } }
 *    (also `input: $input` with variables.input.pullRequestId; `convertPullRequestToDraft` likewise)
 *
 * 2. query($owner: String!, $name: String!, $first: Int!, $after: String) {
 *      repository(owner: $owner, name: $name) {
 *        pullRequests(states: OPEN, first: $first, after: $after) {      # states: OPEN | [OPEN] | CLOSED | MERGED
 *          pageInfo { hasNextPage endCursor }
 *          nodes { id number title headRefName headRefOid baseRefName isDraft state url
 *                  files(first: 100, after: $filesAfter) { pageInfo { hasNextPage endCursor } nodes { path additions deletions changeType } } }
 *        } } }
 *    Every PR node's `files` uses the same `first`/`after`; `files` is only computed when the query mentions it.
 *
 * 3. query { repository(owner: …, name: …) { pullRequest(number: $number) { …same node fields and files(first, after)… } } }
 *
 * Nodes always carry all the fields listed above (extra fields are harmless to clients).
 */
import { diffFiles } from "./diff-files.js";
import { resolveCommit } from "./git-ops.js";
import { connection, fieldArgs, selects, type GraphqlValue } from "./graphql-args.js";
import { HttpError, ok, type ApiRequest, type ApiResponse } from "./http-utils.js";
import type { ApiHandlerContext } from "./route-context.js";
import { refreshHeadSha } from "./serialize-pull.js";
import { findRepo } from "./state.js";
import { tokenReaches } from "./token-scope.js";
import type { FakePull, FakeRepoState } from "./types.js";

const gqlError = (message: string, type = "FAKE_GITHUB", path?: string[]): ApiResponse =>
  ok({ data: null, errors: [{ type, message, ...(path ? { path } : {}) }] });

async function pullNode(ctx: ApiHandlerContext, repo: FakeRepoState, pull: FakePull, query: string, variables: Record<string, unknown>) {
  const issue = repo.issues.get(pull.number);
  const headSha = await refreshHeadSha(repo, pull);
  const node: Record<string, unknown> = {
    id: pull.nodeId,
    number: pull.number,
    title: issue?.title ?? "",
    headRefName: pull.head,
    headRefOid: headSha,
    baseRefName: pull.base,
    isDraft: pull.draft,
    state: pull.merged ? "MERGED" : issue?.state === "closed" ? "CLOSED" : "OPEN",
    url: `${ctx.url}/${repo.fullName}/pull/${pull.number}`,
  };
  const filesArgs = fieldArgs(query, "files", variables);
  if (filesArgs || selects(query, "files")) {
    const base = (await resolveCommit(repo.bareDir, pull.base)) ?? headSha;
    const files = (await diffFiles(repo.bareDir, base, headSha)).map((f) => ({
      path: f.filename,
      additions: f.additions,
      deletions: f.deletions,
      changeType: f.status === "removed" ? "DELETED" : f.status.toUpperCase(),
    }));
    node.files = connection(files, filesArgs?.first, filesArgs?.after);
  }
  return node;
}

function pullByNodeId(ctx: ApiHandlerContext, req: ApiRequest, nodeId: GraphqlValue): FakePull | undefined {
  for (const repo of ctx.state.repos.values()) {
    if (!tokenReaches(req.token, repo)) continue;
    for (const pull of repo.pulls.values()) if (pull.nodeId === nodeId) return pull;
  }
  return undefined;
}

function mutationPullId(query: string, variables: Record<string, unknown>): GraphqlValue {
  const inline = /pullRequestId\s*:\s*(\$\w+|"[^"]*")/.exec(query)?.[1];
  if (inline) return inline.startsWith("$") ? ((variables[inline.slice(1)] ?? null) as GraphqlValue) : (JSON.parse(inline) as string);
  const input = /input\s*:\s*\$(\w+)/.exec(query)?.[1];
  const value = input ? variables[input] : undefined;
  return typeof value === "object" && value !== null ? ((value as Record<string, GraphqlValue>).pullRequestId ?? null) : null;
}

export async function handleGraphql(req: ApiRequest, ctx: ApiHandlerContext): Promise<ApiResponse> {
  const body = (req.body ?? {}) as { query?: unknown; variables?: unknown };
  if (typeof body.query !== "string") throw new HttpError(400, "A query attribute must be specified and must be a string.");
  const query = body.query;
  const variables = (typeof body.variables === "object" && body.variables !== null ? body.variables : {}) as Record<string, unknown>;

  for (const mutation of ["markPullRequestReadyForReview", "convertPullRequestToDraft"] as const) {
    if (!new RegExp(`\\b${mutation}\\s*\\(`).test(query)) continue;
    const id = mutationPullId(query, variables);
    const pull = pullByNodeId(ctx, req, id);
    if (!pull) return gqlError(`Could not resolve to a node with the global id of '${String(id)}'`, "NOT_FOUND", [mutation]);
    pull.draft = mutation === "convertPullRequestToDraft";
    return ok({ data: { [mutation]: { clientMutationId: null, pullRequest: { id: pull.nodeId, number: pull.number, isDraft: pull.draft } } } });
  }

  const repoArgs = fieldArgs(query, "repository", variables);
  if (!repoArgs) return gqlError("fake-github: unsupported GraphQL operation (see graphql-route.ts)");
  const owner = String(repoArgs.owner ?? "");
  const name = String(repoArgs.name ?? "");
  const repo = findRepo(ctx.state, owner, name);
  if (!repo || !tokenReaches(req.token, repo)) {
    return ok({ data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], message: `Could not resolve to a Repository with the name '${owner}/${name}'.` }] });
  }
  try {
    const listArgs = fieldArgs(query, "pullRequests", variables);
    if (listArgs) {
      const raw = listArgs.states ?? null;
      const states = (Array.isArray(raw) ? raw : raw === null ? [] : [raw]).map(String);
      const pulls = [...repo.pulls.values()].filter((p) => {
        const state = p.merged ? "MERGED" : repo.issues.get(p.number)?.state === "closed" ? "CLOSED" : "OPEN";
        return states.length === 0 || states.includes(state);
      });
      const page = connection(pulls, listArgs.first, listArgs.after);
      const nodes = await Promise.all(page.nodes.map((p) => pullNode(ctx, repo, p, query, variables)));
      return ok({ data: { repository: { pullRequests: { ...page, nodes } } } });
    }
    const oneArgs = fieldArgs(query, "pullRequest", variables);
    if (oneArgs) {
      const pull = repo.pulls.get(Number(oneArgs.number));
      const node = pull ? await pullNode(ctx, repo, pull, query, variables) : null;
      return ok({ data: { repository: { pullRequest: node } }, ...(node ? {} : { errors: [{ type: "NOT_FOUND", path: ["repository", "pullRequest"], message: `Could not resolve to a PullRequest with the number of ${String(oneArgs.number)}.` }] }) });
    }
  } catch (error) {
    return gqlError(error instanceof Error ? error.message : String(error), "EXCESSIVE_PAGINATION");
  }
  return gqlError("fake-github: unsupported GraphQL operation (see graphql-route.ts)");
}
