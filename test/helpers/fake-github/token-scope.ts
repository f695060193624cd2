import type { FakePermissionLevel, FakeRepoState, FakeState, FakeToken } from "./types.js";

/** A request is allowed when the token holds one of `any` at `level` or above. */
export interface PermissionNeed {
  any: string[];
  level: FakePermissionLevel;
}

/**
 * Whether `token` reaches `repo`: the same installation and, for a token asked for with
 * `repositories`, one of those. No token (JWT or open routes) reaches every repository.
 */
export function tokenReaches(token: FakeToken | null, repo: FakeRepoState): boolean {
  if (!token) return true;
  if (token.installationId !== repo.installationId) return false;
  return !token.repositories || token.repositories.some((name) => name.toLowerCase() === repo.name.toLowerCase());
}

/** Whether a token asked for with `permissions` may do what `need` says (tokens without are installation-wide). */
export function tokenAllows(token: FakeToken | null, need: PermissionNeed | null): boolean {
  if (!token?.permissions || !need) return true;
  const granted = token.permissions;
  return need.any.some((name) => {
    const have = granted[name] ?? (name === "metadata" ? "read" : undefined);
    return have === "write" || (have === "read" && need.level === "read");
  });
}

/**
 * What GitHub requires of an installation token for a REST request below `/repos/:owner/:repo`
 * (null: metadata only, which every token has). Issue routes also accept `pull_requests` on a PR.
 */
export function restPermissionNeed(state: FakeState, method: string, path: string): PermissionNeed | null {
  const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return null;
  const rest = match[3] ?? "";
  const level: FakePermissionLevel = method === "GET" || method === "HEAD" ? "read" : "write";
  const repo = state.repos.get(`${match[1] ?? ""}/${match[2] ?? ""}`.toLowerCase());
  const issueNumber = /^\/issues\/(\d+)/.exec(rest)?.[1];
  if (issueNumber !== undefined) return { any: repo?.pulls.has(Number(issueNumber)) ? ["issues", "pull_requests"] : ["issues"], level };
  if (/^\/(issues\/comments|labels)(\/|$)/.test(rest)) return { any: ["issues", "pull_requests"], level };
  if (/^\/issues(\/|$)/.test(rest)) return { any: ["issues"], level };
  if (/^\/pulls\/\d+\/merge$/.test(rest)) return { any: ["contents"], level };
  if (/^\/pulls(\/|$)/.test(rest)) return { any: ["pull_requests"], level };
  if (/^\/(check-runs|commits\/[^/]+\/check-runs)(\/|$)/.test(rest)) return { any: ["checks"], level };
  if (/^\/(git|branches|contents)(\/|$)/.test(rest)) return { any: ["contents"], level };
  return null;
}

/** GraphQL: the operations the fake knows are all about pull requests. */
export function graphqlPermissionNeed(query: unknown): PermissionNeed {
  return { any: ["pull_requests"], level: typeof query === "string" && /^\s*mutation\b/.test(query) ? "write" : "read" };
}
