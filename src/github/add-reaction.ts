import type { GitHubClient } from "./client/github-client.js";
import type { RepoRef } from "./repo-ref.js";

export type ReactionTarget = { commentId: number } | { issueNumber: number };
export type ReactionContent = "eyes" | "rocket" | "confused";

/**
 * Reacts to a comment or an issue to acknowledge a command. Best effort: a reaction is a
 * courtesy, so any failure is swallowed and reported only by the return value.
 */
export async function addReaction(
  octokit: GitHubClient,
  repo: RepoRef,
  target: ReactionTarget,
  content: ReactionContent = "eyes",
): Promise<boolean> {
  try {
    if ("commentId" in target) {
      await octokit.rest.reactions.createForIssueComment({ owner: repo.owner, repo: repo.repo, comment_id: target.commentId, content });
    } else {
      await octokit.rest.reactions.createForIssue({ owner: repo.owner, repo: repo.repo, issue_number: target.issueNumber, content });
    }
    return true;
  } catch {
    return false;
  }
}
