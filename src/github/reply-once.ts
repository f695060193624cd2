import type { GitHubClient } from "./client/github-client.js";
import { findMarkedComment } from "./find-marked-comment.js";
import { fitGitHubText } from "./render/fit-github-text.js";
import type { RepoRef } from "./repo-ref.js";

/** The hidden first line of a one-time reply. */
export function replyMarker(key: string): string {
  return `<!-- agent-race:reply:${key} -->`;
}

/**
 * Posts `body` on the issue unless a reply with the same key is already there (so, for example,
 * someone without write access gets one explanation per issue, not one per command).
 * Returns whether it posted.
 */
export async function replyOnce(
  octokit: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  key: string,
  body: string,
): Promise<boolean> {
  const marker = replyMarker(key);
  if ((await findMarkedComment(octokit, repo, issueNumber, marker)) !== null) return false;
  await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, body: fitGitHubText(`${marker}\n${body}`, "comment") });
  return true;
}
