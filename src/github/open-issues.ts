import { fetchIssueState } from "./fetch-issue-state.js";
import type { GitHubClient } from "./client/github-client.js";

/** Which of these issues or PRs are still open; a missing one (404, 410) counts as closed. */
export async function openIssues(octokit: GitHubClient, repo: { owner: string; name: string }, numbers: readonly number[]): Promise<number[]> {
  const open: number[] = [];
  for (const number of numbers) if ((await fetchIssueState(octokit, repo, number))?.open) open.push(number);
  return open;
}
