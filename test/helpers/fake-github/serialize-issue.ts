import { userJson } from "./serialize-user.js";
import type { FakeComment, FakeIssue, FakeLabel, FakeReaction, FakeRepoState } from "./types.js";

const REACTION_KEYS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"] as const;

export function labelJson(repo: FakeRepoState, label: FakeLabel, baseUrl: string): Record<string, unknown> {
  return {
    id: label.id,
    node_id: Buffer.from(`05:Label${label.id}`).toString("base64"),
    url: `${baseUrl}/api/v3/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: false,
    description: label.description,
  };
}

export function reactionsSummary(url: string, reactions: readonly FakeReaction[]): Record<string, unknown> {
  const summary: Record<string, unknown> = { url: `${url}/reactions`, total_count: reactions.length };
  for (const key of REACTION_KEYS) summary[key] = reactions.filter((r) => r.content === key).length;
  return summary;
}

export function reactionJson(reaction: FakeReaction, baseUrl: string): Record<string, unknown> {
  return {
    id: reaction.id,
    node_id: Buffer.from(`08:Reaction${reaction.id}`).toString("base64"),
    user: userJson(reaction.user, baseUrl),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}

function issueLabels(repo: FakeRepoState, issue: FakeIssue, baseUrl: string): Array<Record<string, unknown>> {
  return issue.labels.flatMap((name) => {
    const label = repo.labels.get(name.toLowerCase());
    return label ? [labelJson(repo, label, baseUrl)] : [];
  });
}

/** GitHub's issue object; pull requests carry a `pull_request` key, like on github.com. */
export function issueJson(repo: FakeRepoState, issue: FakeIssue, baseUrl: string): Record<string, unknown> {
  const api = `${baseUrl}/api/v3/repos/${repo.fullName}/issues/${issue.number}`;
  const pull = repo.pulls.get(issue.number);
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length;
  const json: Record<string, unknown> = {
    url: api,
    repository_url: `${baseUrl}/api/v3/repos/${repo.fullName}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${baseUrl}/${repo.fullName}/${issue.isPullRequest ? "pull" : "issues"}/${issue.number}`,
    id: issue.id,
    node_id: Buffer.from(`05:Issue${issue.id}`).toString("base64"),
    number: issue.number,
    title: issue.title,
    user: userJson(issue.user, baseUrl),
    labels: issueLabels(repo, issue, baseUrl),
    state: issue.state,
    state_reason: issue.stateReason,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: issue.user.login.toLowerCase() === repo.owner.toLowerCase() ? "OWNER" : "NONE",
    active_lock_reason: null,
    body: issue.body,
    reactions: reactionsSummary(api, issue.reactions),
  };
  if (pull) {
    json.draft = pull.draft;
    json.pull_request = {
      url: `${baseUrl}/api/v3/repos/${repo.fullName}/pulls/${issue.number}`,
      html_url: `${baseUrl}/${repo.fullName}/pull/${issue.number}`,
      diff_url: `${baseUrl}/${repo.fullName}/pull/${issue.number}.diff`,
      patch_url: `${baseUrl}/${repo.fullName}/pull/${issue.number}.patch`,
      merged_at: pull.mergedAt,
    };
  }
  return json;
}

export function commentJson(repo: FakeRepoState, comment: FakeComment, baseUrl: string): Record<string, unknown> {
  const api = `${baseUrl}/api/v3/repos/${repo.fullName}/issues/comments/${comment.id}`;
  const kind = repo.pulls.has(comment.issueNumber) ? "pull" : "issues";
  return {
    url: api,
    html_url: `${baseUrl}/${repo.fullName}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${baseUrl}/api/v3/repos/${repo.fullName}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: Buffer.from(`012:IssueComment${comment.id}`).toString("base64"),
    user: userJson(comment.user, baseUrl),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.login.toLowerCase() === repo.owner.toLowerCase() ? "OWNER" : "NONE",
    body: comment.body,
    reactions: reactionsSummary(api, comment.reactions),
    performed_via_github_app: null,
  };
}
