import type { GitHubClient } from "./client/github-client.js";
import { findMarkedComment } from "./find-marked-comment.js";
import { fitGitHubText } from "./render/fit-github-text.js";
import { httpStatus } from "./client/http-status.js";
import type { RepoRef } from "./repo-ref.js";

export interface UpsertCommentInput {
  /** A hidden HTML comment that identifies this comment; put first in the body unless it opens it. */
  marker: string;
  body: string;
  /** The id from an earlier call, to skip the search. */
  commentId?: number | null;
}

/**
 * Creates or updates the issue comment that carries `marker` and returns its id: the known id
 * first (unless it was deleted), else the app's comment found by its marker, else a new one.
 * Callers must not run two upserts for the same marker at once (the worker serialises them).
 */
export async function upsertComment(
  octokit: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  input: UpsertCommentInput,
): Promise<number> {
  const body = fitGitHubText(input.body.trimStart().startsWith(input.marker) ? input.body : `${input.marker}\n${input.body}`, "comment");
  if (input.commentId) {
    const updated = await updateComment(octokit, repo, input.commentId, body);
    if (updated !== null) return updated;
  }
  const existing = await findMarkedComment(octokit, repo, issueNumber, input.marker);
  if (existing !== null) {
    const updated = await updateComment(octokit, repo, existing, body);
    if (updated !== null) return updated;
  }
  const { data } = await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, body });
  return data.id;
}

/** PATCHes a comment; null when it no longer exists. */
async function updateComment(octokit: GitHubClient, repo: RepoRef, commentId: number, body: string): Promise<number | null> {
  try {
    const { data } = await octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.repo, comment_id: commentId, body });
    return data.id;
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}
