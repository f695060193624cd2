import type { GitHubClient } from "./client/github-client.js";
import type { RepoRef } from "./repo-ref.js";

/**
 * The id of the first comment on an issue that a bot wrote and that starts with `marker`, else
 * null. Only bot comments count (a person cannot post as one) and the marker must open the
 * comment, so someone quoting or pasting a marker cannot hijack it. Stops paging once found.
 */
export async function findMarkedComment(
  octokit: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  marker: string,
): Promise<number | null> {
  let found: number | null = null;
  await octokit.paginate(
    octokit.rest.issues.listComments,
    { owner: repo.owner, repo: repo.repo, issue_number: issueNumber, per_page: 100 },
    (response, done) => {
      const match = response.data.find((comment) => comment.user?.type === "Bot" && (comment.body ?? "").trimStart().startsWith(marker));
      if (match) {
        found = match.id;
        done();
      }
      return [];
    },
  );
  return found;
}
