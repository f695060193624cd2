import type { IncomingMessage, ServerResponse } from "node:http";
import { handleGitHttp, isGitPath } from "./git-http.js";
import { handleGraphqlAliases as handleGraphql } from "./graphql-alias-route.js";
import { HttpError, parseJsonBody, readRequestBody, writeApiResponse, type ApiRequest, type ApiResponse } from "./http-utils.js";
import type { ApiHandlerContext, RouteAuth } from "./route-context.js";
import type { Router } from "./router.js";
import { findRepo } from "./state.js";
import { graphqlPermissionNeed, restPermissionNeed, tokenAllows, tokenReaches } from "./token-scope.js";
import type { FakeState, FakeToken, RequestRecord } from "./types.js";

export interface InjectedFailure {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
}

export interface DispatchContext {
  ctx: ApiHandlerContext;
  router: Router;
  reposRoot: string;
  failures: InjectedFailure[];
  requests: RequestRecord[];
}

const JWT = /^bearer\s+[\w-]+\.[\w-]+\.[\w-]*$/i;

/** Checks the route's auth requirement; returns the installation token for `installation` routes. */
function authenticate(state: FakeState, auth: RouteAuth, header: string | undefined): FakeToken | null {
  if (auth === "none") return null;
  if (auth === "app") {
    if (!header) throw new HttpError(401, "Requires authentication");
    if (!JWT.test(header)) throw new HttpError(401, "A JSON web token could not be decoded");
    return null;
  }
  const value = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (!value) throw new HttpError(401, "Requires authentication");
  const token = state.tokens.get(value);
  if (!token || Date.parse(token.expiresAt) <= Date.now()) throw new HttpError(401, "Bad credentials");
  return token;
}

/**
 * A narrowed token (asked for with `repositories`/`permissions`) gets GitHub's answers outside its
 * scope: 404 for a repository it does not reach, 403 for a permission it lacks.
 */
function checkTokenScope(state: FakeState, token: FakeToken, method: string, path: string, graphqlNeed: ReturnType<typeof graphqlPermissionNeed> | null): void {
  const named = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
  const repo = named ? findRepo(state, named[1] ?? "", named[2] ?? "") : undefined;
  if (repo && !tokenReaches(token, repo)) throw new HttpError(404, "Not Found");
  if (!tokenAllows(token, graphqlNeed ?? restPermissionNeed(state, method, path))) throw new HttpError(403, "Resource not accessible by integration");
}

async function handleApi(d: DispatchContext, req: IncomingMessage, url: URL, record: RequestRecord): Promise<ApiResponse> {
  const method = req.method ?? "GET";
  const isGraphql = url.pathname === "/api/graphql";
  const relative = isGraphql ? url.pathname : url.pathname.slice("/api/v3".length) || "/";
  const match = isGraphql ? null : d.router.match(method, relative);
  if (!isGraphql && (match === null || match === "method-not-allowed")) {
    req.resume();
    throw new HttpError(404, "Not Found");
  }
  const auth: RouteAuth = isGraphql ? "installation" : typeof match === "object" && match ? match.auth : "installation";
  const raw = await readRequestBody(req);
  const body = parseJsonBody(raw);
  if (body !== undefined) record.body = body;
  const token = authenticate(d.ctx.state, auth, req.headers.authorization);
  if (token) checkTokenScope(d.ctx.state, token, method, relative, isGraphql ? graphqlPermissionNeed((body as { query?: unknown } | undefined)?.query) : null);
  const apiReq: ApiRequest = {
    method,
    path: relative,
    params: typeof match === "object" && match ? match.params : {},
    query: url.searchParams,
    headers: req.headers,
    body,
    token,
  };
  if (isGraphql) {
    if (method !== "POST") throw new HttpError(404, "Not Found");
    return handleGraphql(apiReq, d.ctx);
  }
  if (typeof match !== "object" || !match) throw new HttpError(404, "Not Found");
  return match.handler(apiReq, d.ctx);
}

/** Entry point for every request: logging, failure injection, git smart HTTP, GraphQL and REST. */
export async function dispatchRequest(d: DispatchContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const method = (req.method ?? "GET").toUpperCase();
  const record: RequestRecord = { method, path: url.pathname, query: url.search, status: 0 };
  d.requests.push(record);
  res.once("finish", () => {
    record.status = res.statusCode;
  });

  const failureIndex = d.failures.findIndex((f) => (f.method === "*" || f.method === method) && f.path.test(url.pathname));
  const failure = d.failures[failureIndex];
  if (failure) {
    d.failures.splice(failureIndex, 1);
    req.resume();
    writeApiResponse(res, { status: failure.status, body: failure.body });
    return;
  }

  if (isGitPath(url.pathname)) {
    await handleGitHttp(d.ctx.state, d.reposRoot, req, res);
    return;
  }
  if (url.pathname !== "/api/graphql" && url.pathname !== "/api/v3" && !url.pathname.startsWith("/api/v3/")) {
    req.resume();
    writeApiResponse(res, { status: 404, body: { message: "Not Found" } });
    return;
  }
  try {
    writeApiResponse(res, await handleApi(d, req, url, record));
  } catch (error) {
    if (error instanceof HttpError) writeApiResponse(res, { status: error.status, body: error.body });
    else writeApiResponse(res, { status: 500, body: { message: `fake-github internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}` } });
  }
}
