/**
 * In front of graphql-route.ts (the one-line registration is the import in dispatch-request.ts). Queries with
 * one unaliased field and no `orderBy`/`updatedAt`/`createdAt` go to graphql-route.ts unchanged; the others,
 * when every field inside `repository(…) { … }` is `pullRequests` or `pullRequest`, are answered here:
 *
 * - several fields and aliases, e.g.
 *     `repository(owner: $o, name: $n) { pr12: pullRequest(number: 12) { … files(first: 100, after: $a12) { … } } pr15: … }`
 *     `repository(…) { open: pullRequests(states: OPEN) { totalCount } changed: pullRequests(first: 10, …) { … } }`
 *   A missing pull request is null plus a NOT_FOUND error with path `["repository", "<alias>"]`.
 * - `pullRequests(…, orderBy: { field: UPDATED_AT | CREATED_AT, direction: ASC | DESC })` (inline or `$variable`),
 *   sorted by the FakeIssue's `updatedAt` / `createdAt`, then number. States: as in graphql-route.ts (none = all).
 * - `updatedAt` and `createdAt` on pull request nodes: the FakeIssue's (tests bump `updatedAt` where GitHub
 *   would, e.g. after a push: see `pushToPull` in seed-pulls.ts).
 *
 * Nodes carry the fields graphql-route.ts documents; see graphql-pull-nodes.ts for how they stay fast at 1,000 PRs.
 */
import { connection, fieldArgs, selects, type GraphqlValue } from "./graphql-args.js";
import { branchShas, pullNodeFast, pullState } from "./graphql-pull-nodes.js";
import { handleGraphql } from "./graphql-route.js";
import type { ApiRequest, ApiResponse } from "./http-utils.js";
import type { ApiHandlerContext } from "./route-context.js";
import { findRepo } from "./state.js";
import { tokenReaches } from "./token-scope.js";
import type { FakePull, FakeRepoState } from "./types.js";

interface Field {
  alias: string;
  name: string;
  args: string | null;
  body: string | null;
}

/** The text between the bracket at `open` and its match, and the match's index. */
function enclosed(text: string, open: number): { inner: string; end: number } {
  const [left, right] = text[open] === "(" ? ["(", ")"] : ["{", "}"];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === left) depth++;
    if (text[i] === right && --depth === 0) return { inner: text.slice(open + 1, i), end: i };
  }
  throw new Error(`fake-github: unbalanced ${left} in GraphQL query`);
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /[\s,]/.test(text[i] ?? "")) i++;
  return i;
}

/** The top-level fields of a selection set (`alias: name(args) { body }`). */
function parseFields(block: string): Field[] {
  const fields: Field[] = [];
  for (let i = skipSpace(block, 0); i < block.length; i = skipSpace(block, i)) {
    const m = /^(\w+)(?:\s*:\s*(\w+))?\s*/.exec(block.slice(i));
    if (!m) throw new Error(`fake-github: cannot read GraphQL selection at ${JSON.stringify(block.slice(i, i + 30))}`);
    const field: Field = { alias: m[1] ?? "", name: m[2] ?? m[1] ?? "", args: null, body: null };
    i += m[0].length;
    if (block[i] === "(") {
      const args = enclosed(block, i);
      field.args = args.inner;
      i = skipSpace(block, args.end + 1);
    }
    if (block[i] === "{") {
      const body = enclosed(block, i);
      field.body = body.inner;
      i = body.end + 1;
    }
    fields.push(field);
  }
  return fields;
}

/** Sorts by `orderBy` (inline `{ field: …, direction: … }` reads as `field`/`direction` arguments, or a `$variable`). */
function sortPulls(repo: FakeRepoState, pulls: FakePull[], args: Record<string, GraphqlValue>): FakePull[] {
  const order = (typeof args.orderBy === "object" && args.orderBy !== null ? args.orderBy : args) as Record<string, GraphqlValue>;
  if (order.field === undefined) return pulls;
  const key = order.field === "CREATED_AT" ? "createdAt" : "updatedAt";
  const sign = order.direction === "DESC" ? -1 : 1;
  const at = (p: FakePull): string => repo.issues.get(p.number)?.[key] ?? "";
  return [...pulls].sort((a, b) => sign * (at(a).localeCompare(at(b)) || a.number - b.number));
}

interface FieldAnswer {
  value: unknown;
  error?: Record<string, unknown>;
}

async function answerField(
  ctx: ApiHandlerContext, repo: FakeRepoState, field: Field, shas: Map<string, string>, variables: Record<string, unknown>,
): Promise<FieldAnswer> {
  const args = fieldArgs(`${field.name}(${field.args ?? ""})`, field.name, variables) ?? {};
  const body = field.body ?? "";
  if (field.name === "pullRequest") {
    const pull = repo.pulls.get(Number(args.number));
    if (pull) return { value: await pullNodeFast(ctx, repo, pull, shas, body, variables) };
    const message = `Could not resolve to a PullRequest with the number of ${String(args.number)}.`;
    return { value: null, error: { type: "NOT_FOUND", path: ["repository", field.alias], message } };
  }
  const raw = args.states ?? null;
  const states = (Array.isArray(raw) ? raw : raw === null ? [] : [raw]).map(String);
  const pulls = sortPulls(repo, [...repo.pulls.values()].filter((p) => states.length === 0 || states.includes(pullState(repo, p))), args);
  const page = connection(pulls, args.first, args.after);
  const nodes = selects(body, "nodes") ? await Promise.all(page.nodes.map((p) => pullNodeFast(ctx, repo, p, shas, body, variables))) : [];
  return { value: { ...page, nodes } };
}

export async function handleGraphqlAliases(req: ApiRequest, ctx: ApiHandlerContext): Promise<ApiResponse> {
  const { query, variables = {} } = (req.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  const at = typeof query === "string" ? /\brepository\s*\(/.exec(query) : null;
  if (typeof query !== "string" || !at) return handleGraphql(req, ctx);
  const open = query.indexOf("{", enclosed(query, at.index + at[0].length - 1).end);
  const fields = open === -1 ? [] : parseFields(enclosed(query, open).inner);
  const args = fieldArgs(query, "repository", variables) ?? {};
  const repo = findRepo(ctx.state, String(args.owner ?? ""), String(args.name ?? ""));
  const plain = fields.length <= 1 && fields.every((f) => f.alias === f.name) && !/\b(?:orderBy|updatedAt|createdAt)\b/.test(query);
  const ours = fields.every((f) => f.name === "pullRequests" || f.name === "pullRequest");
  if (plain || !ours || !repo || !tokenReaches(req.token, repo)) return handleGraphql(req, ctx);

  const shas = await branchShas(repo);
  const data: Record<string, unknown> = {};
  const errors: Array<Record<string, unknown>> = [];
  try {
    for (const field of fields) {
      const answer = await answerField(ctx, repo, field, shas, variables);
      data[field.alias] = answer.value;
      if (answer.error) errors.push(answer.error);
    }
  } catch (error) {
    return { status: 200, body: { data: null, errors: [{ type: "EXCESSIVE_PAGINATION", message: error instanceof Error ? error.message : String(error) }] } };
  }
  return { status: 200, body: { data: { repository: data }, ...(errors.length > 0 ? { errors } : {}) } };
}
