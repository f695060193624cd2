import { HttpError, notFound, type ApiRequest } from "./http-utils.js";
import { findRepo } from "./state.js";
import { tokenReaches } from "./token-scope.js";
import type { FakeIssue, FakePull, FakeRepoState, FakeState } from "./types.js";

/** `app`: any bearer (JWT) auth; `installation`: an issued installation token; `none`: open. */
export type RouteAuth = "app" | "installation" | "none";

/** What every handler gets besides the request. */
export interface ApiHandlerContext {
  state: FakeState;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `${url}/api/v3` */
  apiUrl: string;
}

/** The repo named by `:owner/:repo`, visible to the request's installation token; else 404. */
export function requireRepo(req: ApiRequest, ctx: ApiHandlerContext): FakeRepoState {
  const repo = findRepo(ctx.state, req.params.owner ?? "", req.params.repo ?? "");
  if (!repo) throw notFound();
  if (!tokenReaches(req.token, repo)) throw notFound();
  return repo;
}

/** Parses a positive integer path parameter (404 otherwise, like GitHub). */
export function intParam(req: ApiRequest, name: string): number {
  const value = Number(req.params[name]);
  if (!Number.isInteger(value) || value <= 0) throw notFound();
  return value;
}

export function requireIssue(repo: FakeRepoState, number: number): FakeIssue {
  const issue = repo.issues.get(number);
  if (!issue) throw notFound();
  return issue;
}

export function requirePull(repo: FakeRepoState, number: number): { issue: FakeIssue; pull: FakePull } {
  const pull = repo.pulls.get(number);
  const issue = repo.issues.get(number);
  if (!pull || !issue) throw notFound();
  return { issue, pull };
}

/** Reads the request body as a JSON object (422 when it is not one). */
export function bodyObject(req: ApiRequest): Record<string, unknown> {
  const body = req.body ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "Problems parsing JSON");
  }
  return body as Record<string, unknown>;
}

export function requiredString(body: Record<string, unknown>, field: string, resource: string): string {
  const value = body[field];
  if (typeof value !== "string" || value.length === 0) {
    throw new HttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`, {
      errors: [{ resource, field, code: "missing_field" }],
    });
  }
  return value;
}

export function optionalString(body: Record<string, unknown>, field: string): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== "string") throw new HttpError(422, `Invalid request.\n\nFor '${field}', ${JSON.stringify(value)} is not a string.`);
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new HttpError(422, `Invalid request.\n\nFor '${field}', ${JSON.stringify(value)} is not a boolean.`);
  return value;
}

/** Label names from `["a", {name:"b"}]`-style input. */
export function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) throw new HttpError(422, "Invalid request.\n\nlabels must be an array.");
  return value.map((item: unknown) => {
    if (typeof item === "string") return item;
    if (typeof item === "object" && item !== null && typeof (item as { name?: unknown }).name === "string") {
      return (item as { name: string }).name;
    }
    throw new HttpError(422, "Invalid request.\n\nInvalid label.");
  });
}
