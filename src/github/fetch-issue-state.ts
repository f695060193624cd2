import type { GitHubClient } from "./client/github-client.js";
import { httpStatus } from "./client/http-status.js";

/** What agent-race needs of an issue or PR it waits for. */
export interface IssueState {
  open: boolean;
  /** A PR that was merged (the issues API says so in `pull_request.merged_at`). */
  merged: boolean;
  body: string;
}

/** One issue's or PR's state, from the issues API (one request for both kinds); null when it is missing (404, 410). */
export async function fetchIssueState(octokit: GitHubClient, repo: { owner: string; name: string }, number: number): Promise<IssueState | null> {
  try {
    const { data } = await octokit.rest.issues.get({ owner: repo.owner, repo: repo.name, issue_number: number });
    return { open: data.state === "open", merged: Boolean(data.pull_request?.merged_at), body: data.body ?? "" };
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || status === 410) return null;
    throw error;
  }
}
