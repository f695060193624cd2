import { fitGitHubText } from "../render/fit-github-text.js";
import type { GitHubClient } from "./github-client.js";

/** The request options Octokit's `before` hook sees: the route and its parameters, flat. */
interface RequestOptions {
  method?: string;
  url?: string;
  body?: unknown;
  output?: unknown;
  [parameter: string]: unknown;
}

/**
 * Fits the text of every write to GitHub under its limit, in place: `body` of issue, comment,
 * review and pull-request writes (65,536 characters), `output.summary` and `output.text` of check
 * runs (65,535 bytes). The renderers fit their own text and cut long notes; this is the net under
 * every other place the app posts text, so GitHub never refuses a write for its length.
 */
export function fitRequestText(options: RequestOptions): void {
  const method = (options.method ?? "GET").toUpperCase();
  if (method !== "POST" && method !== "PATCH" && method !== "PUT") return;
  const url = options.url ?? "";
  if (typeof options.body === "string" && /\/(issues|pulls)(\/|$)/.test(url)) {
    options.body = fitGitHubText(options.body, /\/pulls(\/\{pull_number\}|\/\d+)?$/.test(url) ? "pr-body" : "comment");
  }
  if (/\/check-runs(\/|$)/.test(url) && options.output && typeof options.output === "object") {
    const output = { ...(options.output as Record<string, unknown>) };
    if (typeof output.summary === "string") output.summary = fitGitHubText(output.summary, "check-summary");
    if (typeof output.text === "string") output.text = fitGitHubText(output.text, "check-text");
    options.output = output;
  }
}

/** The Octokit plugin around fitRequestText: `ProbotOctokit.plugin(fitTextPlugin)`. */
export function fitTextPlugin(octokit: { hook: GitHubClient["hook"] }): void {
  octokit.hook.before("request", (options) => fitRequestText(options as RequestOptions));
}
