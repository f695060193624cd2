import { idFor, repositoryObject, rewrite, userObject, webhookTemplate, type PayloadRepo, type PayloadUser } from "./webhook-templates.js";

export type { PayloadRepo, PayloadUser } from "./webhook-templates.js";

/** Issue fields a payload needs; a FakeIssue from `fake.addIssue()` fits. */
export interface PayloadIssue {
  number: number;
  title: string;
  body?: string | null;
  user?: PayloadUser;
  labels?: string[];
  state?: "open" | "closed";
  id?: number;
  isPullRequest?: boolean;
}

/** Pull request fields a payload needs; a FakePull (plus title) fits. */
export interface PayloadPull {
  number: number;
  head: string;
  base?: string;
  headSha?: string;
  title?: string;
  body?: string | null;
  user?: PayloadUser;
  draft?: boolean;
  merged?: boolean;
  id?: number;
}

interface Common {
  repo: PayloadRepo;
  sender: PayloadUser;
  installationId: number;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === "object" && value !== null ? (value as Json) : {});

function finish(t: Json, c: Common): Json {
  t.repository = repositoryObject(obj(t.repository), obj(t.sender), c.repo);
  t.sender = userObject(obj(t.sender), c.sender, c.repo);
  t.installation = { id: c.installationId, node_id: Buffer.from(`023:IntegrationInstallation${c.installationId}`).toString("base64") };
  delete t.organization;
  return t;
}

function labelObject(template: Json, name: string, repo: PayloadRepo): Json {
  const label = rewrite(template, repo);
  const id = idFor(`label:${name}`);
  return { ...label, id, node_id: Buffer.from(`05:Label${id}`).toString("base64"), name, url: `${String(label.url).replace(/\/labels\/.*$/, "")}/labels/${encodeURIComponent(name)}`, default: false };
}

function issueObject(t: Json, issue: PayloadIssue, c: Common): Json {
  const template = rewrite(obj(t.issue), c.repo);
  const labelTemplate = obj((template.labels as unknown[] | undefined)?.[0] ?? t.label);
  const base = String(template.repository_url);
  const kind = issue.isPullRequest ? "pull" : "issues";
  const html = `${String(template.html_url).replace(/\/(issues|pull)\/\d+$/, "")}/${kind}/${issue.number}`;
  const json: Json = {
    ...template,
    url: `${base}/issues/${issue.number}`,
    labels_url: `${base}/issues/${issue.number}/labels{/name}`,
    comments_url: `${base}/issues/${issue.number}/comments`,
    events_url: `${base}/issues/${issue.number}/events`,
    html_url: html,
    id: issue.id ?? idFor(`issue:${issue.number}`),
    number: issue.number,
    title: issue.title,
    body: issue.body ?? null,
    user: userObject(obj(t.sender), issue.user ?? c.sender, c.repo),
    labels: (issue.labels ?? []).map((name) => labelObject(labelTemplate, name, c.repo)),
    state: issue.state ?? "open",
    assignee: null,
    assignees: [],
    milestone: null,
    closed_at: null,
  };
  if (issue.isPullRequest) {
    json.pull_request = { url: `${base}/pulls/${issue.number}`, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: null };
  } else delete json.pull_request;
  return json;
}

function pullObject(t: Json, pull: PayloadPull, c: Common): Json {
  const template = rewrite(obj(t.pull_request), c.repo);
  const repository = repositoryObject(obj(t.repository), obj(t.sender), c.repo);
  const api = `${String(repository.url)}`;
  const html = `${String(repository.html_url)}/pull/${pull.number}`;
  const ref = (name: string, sha: string): Json => ({ label: `${c.repo.owner}:${name}`, ref: name, sha, user: repository.owner, repo: repository });
  const sha = pull.headSha ?? "0".repeat(40);
  return {
    ...template,
    url: `${api}/pulls/${pull.number}`,
    id: pull.id ?? idFor(`pull:${pull.number}`),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    statuses_url: `${api}/statuses/${sha}`,
    number: pull.number,
    title: pull.title ?? `PR #${pull.number}`,
    body: pull.body ?? null,
    user: userObject(obj(t.sender), pull.user ?? c.sender, c.repo),
    draft: pull.draft ?? false,
    labels: [],
    assignee: null,
    assignees: [],
    milestone: null,
    head: ref(pull.head, sha),
    base: ref(pull.base ?? c.repo.defaultBranch ?? "main", "0".repeat(40)),
  };
}

/** `issues.labeled` */
export function issueLabeledPayload(o: Common & { issue: PayloadIssue; label: string }): Json {
  const t = webhookTemplate("issues", "labeled");
  const labels = o.issue.labels?.includes(o.label) ? o.issue.labels : [...(o.issue.labels ?? []), o.label];
  const issue = issueObject(t, { ...o.issue, labels }, o);
  t.issue = issue;
  t.label = (issue.labels as Json[]).find((l) => l.name === o.label);
  return finish(t, o);
}

/** `issue_comment.created` (a PR conversation comment when `issue.isPullRequest`). */
export function issueCommentPayload(o: Common & { issue: PayloadIssue; body: string; commentId: number }): Json {
  const t = webhookTemplate("issue_comment", "created");
  const issue = issueObject(t, o.issue, o);
  const comment = rewrite(obj(t.comment), o.repo);
  const url = `${String(issue.repository_url)}/issues/comments/${o.commentId}`;
  t.issue = issue;
  t.comment = {
    ...comment,
    id: o.commentId,
    node_id: Buffer.from(`012:IssueComment${o.commentId}`).toString("base64"),
    url,
    html_url: `${String(issue.html_url)}#issuecomment-${o.commentId}`,
    issue_url: issue.url,
    body: o.body,
    user: userObject(obj(t.sender), o.sender, o.repo),
    reactions: { ...obj(comment.reactions), url: `${url}/reactions` },
  };
  return finish(t, o);
}

/** `pull_request_review.submitted`; `review.state` is lower-case like the real webhook. */
export function pullRequestReviewPayload(
  o: Common & { pull: PayloadPull; review: { id: number; state: "approved" | "changes_requested" | "commented"; body?: string | null; commitId?: string } },
): Json {
  const t = webhookTemplate("pull_request_review", "submitted");
  const pull = pullObject(t, o.pull, o);
  const review = rewrite(obj(t.review), o.repo);
  const html = `${String(pull.html_url)}#pullrequestreview-${o.review.id}`;
  t.pull_request = pull;
  t.review = {
    ...review,
    id: o.review.id,
    node_id: Buffer.from(`017:PullRequestReview${o.review.id}`).toString("base64"),
    user: userObject(obj(t.sender), o.sender, o.repo),
    body: o.review.body ?? null,
    commit_id: o.review.commitId ?? obj(pull.head).sha,
    state: o.review.state,
    html_url: html,
    pull_request_url: pull.url,
    _links: { html: { href: html }, pull_request: { href: pull.url } },
  };
  return finish(t, o);
}

/** `pull_request.closed` (merged or not). */
export function pullRequestClosedPayload(o: Common & { pull: PayloadPull; merged?: boolean }): Json {
  const t = webhookTemplate("pull_request", "closed");
  const merged = o.merged ?? o.pull.merged ?? false;
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  t.pull_request = { ...pullObject(t, o.pull, o), state: "closed", closed_at: now, merged, merged_at: merged ? now : null };
  t.number = o.pull.number;
  return finish(t, o);
}
