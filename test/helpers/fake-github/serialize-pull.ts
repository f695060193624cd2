import { resolveCommit } from "./git-ops.js";
import { labelJson } from "./serialize-issue.js";
import { repoJson } from "./serialize-repo.js";
import { userJson } from "./serialize-user.js";
import { ensureUser } from "./state.js";
import type { FakeIssue, FakePull, FakeRepoState, FakeReview, FakeReviewComment, FakeState } from "./types.js";

/** Updates `pull.headSha` from the bare repo while the head branch still exists. */
export async function refreshHeadSha(repo: FakeRepoState, pull: FakePull): Promise<string> {
  const sha = await resolveCommit(repo.bareDir, pull.head);
  if (sha) pull.headSha = sha;
  return pull.headSha;
}

/**
 * GitHub's pull request object. `branches` (branch → sha, from `branchShas`) saves a listing two git
 * processes per pull request.
 */
export async function pullJson(
  state: FakeState,
  repo: FakeRepoState,
  issue: FakeIssue,
  pull: FakePull,
  baseUrl: string,
  branches?: ReadonlyMap<string, string>,
): Promise<Record<string, unknown>> {
  const api = `${baseUrl}/api/v3/repos/${repo.fullName}`;
  const html = `${baseUrl}/${repo.fullName}/pull/${pull.number}`;
  if (branches?.has(pull.head)) pull.headSha = branches.get(pull.head) ?? pull.headSha;
  const headSha = branches ? pull.headSha : await refreshHeadSha(repo, pull);
  const baseSha = (branches ? branches.get(pull.base) : await resolveCommit(repo.bareDir, pull.base)) ?? "";
  const repository = repoJson(state, repo, baseUrl);
  const ownerUser = userJson(ensureUser(state, repo.owner), baseUrl);
  const ref = (name: string, sha: string): Record<string, unknown> => ({
    label: `${repo.owner}:${name}`,
    ref: name,
    sha,
    user: ownerUser,
    repo: repository,
  });
  return {
    url: `${api}/pulls/${pull.number}`,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    number: pull.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: userJson(issue.user, baseUrl),
    body: issue.body,
    labels: issue.labels.flatMap((n) => {
      const label = repo.labels.get(n.toLowerCase());
      return label ? [labelJson(repo, label, baseUrl)] : [];
    }),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: ref(pull.head, headSha),
    base: ref(pull.base, baseSha),
    author_association: "NONE",
    auto_merge: null,
    draft: pull.draft,
    merged: pull.merged,
    mergeable: pull.merged || issue.state === "closed" ? null : true,
    mergeable_state: pull.draft ? "draft" : "clean",
    merged_by: null,
    comments: [...repo.comments.values()].filter((c) => c.issueNumber === pull.number).length,
    review_comments: repo.reviews.filter((r) => r.pullNumber === pull.number).reduce((n, r) => n + r.comments.length, 0),
    maintainer_can_modify: false,
  };
}

export function reviewJson(repo: FakeRepoState, review: FakeReview, baseUrl: string): Record<string, unknown> {
  const html = `${baseUrl}/${repo.fullName}/pull/${review.pullNumber}`;
  return {
    id: review.id,
    node_id: Buffer.from(`017:PullRequestReview${review.id}`).toString("base64"),
    user: userJson(review.user, baseUrl),
    body: review.body,
    state: review.state,
    html_url: `${html}#pullrequestreview-${review.id}`,
    pull_request_url: `${baseUrl}/api/v3/repos/${repo.fullName}/pulls/${review.pullNumber}`,
    commit_id: review.commitId,
    submitted_at: review.submittedAt,
    author_association: "NONE",
  };
}

export function reviewCommentJson(repo: FakeRepoState, review: FakeReview, comment: FakeReviewComment, baseUrl: string): Record<string, unknown> {
  const api = `${baseUrl}/api/v3/repos/${repo.fullName}/pulls`;
  return {
    url: `${api}/comments/${comment.id}`,
    pull_request_review_id: review.id,
    id: comment.id,
    node_id: Buffer.from(`024:PullRequestReviewComment${comment.id}`).toString("base64"),
    diff_hunk: comment.diffHunk,
    path: comment.path,
    position: comment.line,
    original_position: comment.line,
    commit_id: review.commitId,
    original_commit_id: review.commitId,
    user: userJson(comment.user, baseUrl),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
    html_url: `${baseUrl}/${repo.fullName}/pull/${review.pullNumber}#discussion_r${comment.id}`,
    pull_request_url: `${api}/${review.pullNumber}`,
    author_association: "NONE",
    line: comment.line,
    original_line: comment.line,
    side: "RIGHT",
    subject_type: "line",
  };
}
