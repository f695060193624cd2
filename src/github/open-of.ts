import type { GitHubClient } from "./github-client.js";
import { httpStatus } from "./http-status.js";

/** Which of these issues or PRs are still open; a missing one (404, 410) counts as closed. */
export async function openOf(octokit: GitHubClient, repo: { owner: string; name: string }, numbers: readonly number[]): Promise<number[]> {
  const open: number[] = [];
  for (const number of numbers) {
    try {
      const issue = await octokit.rest.issues.get({ owner: repo.owner, repo: repo.name, issue_number: number });
      if (issue.data.state === "open") open.push(number);
    } catch (error) {
      const status = httpStatus(error);
      if (status !== 404 && status !== 410) throw error;
    }
  }
  return open;
}
