import type { ApiHandlerContext, RouteAuth } from "./route-context.js";
import type { ApiRequest, ApiResponse } from "./http-utils.js";

export type ApiHandler = (req: ApiRequest, ctx: ApiHandlerContext) => Promise<ApiResponse> | ApiResponse;

interface Route {
  method: string;
  segments: string[];
  auth: RouteAuth;
  handler: ApiHandler;
}

export interface RouteMatch {
  handler: ApiHandler;
  auth: RouteAuth;
  params: Record<string, string>;
}

/**
 * A tiny path router. Patterns look like `/repos/:owner/:repo/issues/:number`; a final `*name`
 * segment captures the (decoded, slash-joined) rest of the path.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: ApiHandler, auth: RouteAuth = "installation"): void {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), auth, handler });
  }

  /** Returns the match, `"method-not-allowed"` when only the path matched, or null. */
  match(method: string, path: string): RouteMatch | "method-not-allowed" | null {
    const segments = split(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method !== method.toUpperCase()) {
        pathMatched = true;
        continue;
      }
      return { handler: route.handler, auth: route.auth, params };
    }
    return pathMatched ? "method-not-allowed" : null;
  }
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? "";
    if (p.startsWith("*")) {
      const rest = actual.slice(i);
      if (rest.length === 0) return null;
      params[p.slice(1)] = rest.map(decode).join("/");
      return params;
    }
    const a = actual[i];
    if (a === undefined) return null;
    if (p.startsWith(":")) params[p.slice(1)] = decode(a);
    else if (p !== a) return null;
  }
  return pattern.length === actual.length ? params : null;
}
