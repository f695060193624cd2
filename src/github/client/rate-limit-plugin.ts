import type { ProbotOctokit } from "probot";

type Headers = Record<string, string | number | undefined>;

/** Reads GitHub's rate-limit headers; null when the response has none. */
export function rateLimitFrom(headers: Headers | undefined): { resource: string; remaining: number } | null {
  const remaining = Number(headers?.["x-ratelimit-remaining"]);
  if (headers?.["x-ratelimit-remaining"] === undefined || !Number.isFinite(remaining)) return null;
  return { resource: String(headers["x-ratelimit-resource"] ?? "core"), remaining };
}

/**
 * An Octokit plugin that reports `x-ratelimit-remaining` of every response (errors included)
 * to `onRemaining`, e.g. `ProbotOctokit.plugin(rateLimitPlugin(...))`.
 */
export function rateLimitPlugin(onRemaining: (resource: string, remaining: number) => void) {
  return (octokit: { hook: InstanceType<typeof ProbotOctokit>["hook"] }): void => {
    const report = (headers: Headers | undefined): void => {
      const limit = rateLimitFrom(headers);
      if (limit) onRemaining(limit.resource, limit.remaining);
    };
    octokit.hook.after("request", (response) => report(response.headers));
    octokit.hook.error("request", (error) => {
      report((error as { response?: { headers?: Headers } }).response?.headers);
      throw error;
    });
  };
}
