import { ProbotOctokit } from "probot";
import { fitTextPlugin } from "./fit-text-plugin.js";
import { rateLimitPlugin } from "./rate-limit-plugin.js";

export interface AppOctokitOptions {
  /** The REST API root (`https://api.github.com` or GHES's `…/api/v3`). */
  baseUrl: string;
  /** Reports every response's remaining rate limit (the metrics gauge). */
  onRateLimit: (resource: string, remaining: number) => void;
  /** Throttling and retries off (tests against the fake GitHub). */
  throttleOff: boolean;
}

/** The Octokit class Probot builds every client from: text fitted to GitHub's limits, rate limits reported, auth minted on `baseUrl`. */
export type AppOctokit = typeof ProbotOctokit;

/**
 * The App's Octokit class. Probot hands the app auth a `request` without the base URL, so
 * `octokit.auth({ type: "installation" })` (a token for git) would mint it on api.github.com, not
 * GHES, unless an API call had cached one first: the defaults put the base URL on it.
 */
export function appOctokit(options: AppOctokitOptions): AppOctokit {
  type RequestLike = { defaults(defaults: { baseUrl: string }): RequestLike };
  type AuthOptions = { request?: RequestLike } | undefined;
  const withBaseUrl = (auth: AuthOptions): AuthOptions => (auth?.request ? { ...auth, request: auth.request.defaults({ baseUrl: options.baseUrl }) } : auth);
  return ProbotOctokit.plugin(rateLimitPlugin(options.onRateLimit), fitTextPlugin).defaults((given: Record<string, unknown>) => ({
    ...given,
    auth: withBaseUrl(given.auth as AuthOptions),
    // GitHub's secondary rate limits want writes spaced out; tests against the fake turn it off.
    ...(options.throttleOff ? { throttle: { ...(given.throttle as object), enabled: false }, retry: { enabled: false } } : {}),
  }));
}
