import { createBareRepo } from "./bare-repo.js";
import { resolveCommit } from "./git-ops.js";
import { ensureRepoLabel } from "./routes/label-routes.js";
import { ensureUser, findRepo, nextId, nowIso } from "./state.js";
import type { FakeComment, FakeIssue, FakeRepoState, FakeReview, FakeState, Permission } from "./types.js";

export interface AddRepoOptions {
  owner: string;
  name: string;
  /** Default `main`. */
  defaultBranch?: string;
  /** Committed as the initial commit. Default `{ "README.md": "# <name>\n" }`. */
  files?: Record<string, string>;
  /** Default 1. */
  installationId?: number;
}

export interface FakeRepo {
  owner: string;
  name: string;
  fullName: string;
  id: number;
  defaultBranch: string;
  bareDir: string;
  cloneUrl: string;
}

/** A repo given as `"owner/name"` or a FakeRepo. */
export type RepoRef = string | Pick<FakeRepo, "fullName">;

export function getRepo(state: FakeState, ref: RepoRef): FakeRepoState {
  const fullName = typeof ref === "string" ? ref : ref.fullName;
  const [owner = "", name = ""] = fullName.split("/");
  const repo = findRepo(state, owner, name);
  if (!repo) throw new Error(`fake-github: unknown repo ${fullName}`);
  return repo;
}

export async function addRepo(state: FakeState, url: string, reposRoot: string, options: AddRepoOptions): Promise<FakeRepo> {
  const { owner, name } = options;
  if (findRepo(state, owner, name)) throw new Error(`fake-github: repo ${owner}/${name} already exists`);
  const defaultBranch = options.defaultBranch ?? "main";
  const installationId = options.installationId ?? 1;
  const bareDir = await createBareRepo(reposRoot, owner, name, defaultBranch, options.files ?? { "README.md": `# ${name}\n` });
  const ownerUser = ensureUser(state, owner);
  if (!state.installations.has(installationId)) state.installations.set(installationId, { id: installationId, account: ownerUser });
  const repo: FakeRepoState = {
    id: nextId(state),
    owner,
    name,
    fullName: `${owner}/${name}`,
    defaultBranch,
    bareDir,
    installationId,
    labels: new Map(),
    issues: new Map(),
    comments: new Map(),
    pulls: new Map(),
    reviews: [],
    checkRuns: new Map(),
    permissions: new Map([[owner.toLowerCase(), "admin"]]),
    nextNumber: 1,
  };
  state.repos.set(repo.fullName.toLowerCase(), repo);
  return { owner, name, fullName: repo.fullName, id: repo.id, defaultBranch, bareDir, cloneUrl: `${url}/${repo.fullName}.git` };
}

export function setPermission(state: FakeState, ref: RepoRef, login: string, permission: Permission): void {
  ensureUser(state, login);
  getRepo(state, ref).permissions.set(login.toLowerCase(), permission);
}

export interface AddIssueOptions {
  number?: number;
  title: string;
  body?: string | null;
  /** Author login (registered as a known user). */
  user: string;
  labels?: string[];
  state?: "open" | "closed";
}

export function addIssue(state: FakeState, ref: RepoRef, options: AddIssueOptions): FakeIssue {
  const repo = getRepo(state, ref);
  const number = options.number ?? repo.nextNumber;
  if (repo.issues.has(number)) throw new Error(`fake-github: #${number} already exists in ${repo.fullName}`);
  repo.nextNumber = Math.max(repo.nextNumber, number + 1);
  const now = nowIso();
  const issue: FakeIssue = {
    id: nextId(state),
    number,
    title: options.title,
    body: options.body ?? null,
    user: ensureUser(state, options.user),
    state: options.state ?? "open",
    stateReason: null,
    labels: (options.labels ?? []).map((l) => ensureRepoLabel(state, repo, l).name),
    reactions: [],
    isPullRequest: false,
    createdAt: now,
    updatedAt: now,
    closedAt: options.state === "closed" ? now : null,
  };
  repo.issues.set(number, issue);
  return issue;
}

/** Adds a comment written by a human (`user`) to an issue or pull request. */
export function addComment(state: FakeState, ref: RepoRef, issueNumber: number, options: { body: string; user: string }): FakeComment {
  const repo = getRepo(state, ref);
  if (!repo.issues.has(issueNumber)) throw new Error(`fake-github: no #${issueNumber} in ${repo.fullName}`);
  const now = nowIso();
  const comment: FakeComment = { id: nextId(state), issueNumber, body: options.body, user: ensureUser(state, options.user), reactions: [], createdAt: now, updatedAt: now };
  repo.comments.set(comment.id, comment);
  return comment;
}

export interface AddReviewOptions {
  state: FakeReview["state"];
  body?: string | null;
  user: string;
  /** Default: the pull request's current head sha. */
  commitId?: string;
  comments?: Array<{ path: string; line?: number | null; diff_hunk?: string; body: string }>;
}

export async function addReview(state: FakeState, ref: RepoRef, pullNumber: number, options: AddReviewOptions): Promise<FakeReview> {
  const repo = getRepo(state, ref);
  const pull = repo.pulls.get(pullNumber);
  if (!pull) throw new Error(`fake-github: no pull request #${pullNumber} in ${repo.fullName}`);
  const user = ensureUser(state, options.user);
  const now = nowIso();
  const id = nextId(state);
  const review: FakeReview = {
    id,
    pullNumber,
    state: options.state,
    body: options.body ?? null,
    user,
    commitId: options.commitId ?? (await resolveCommit(repo.bareDir, pull.head)) ?? pull.headSha,
    submittedAt: now,
    comments: (options.comments ?? []).map((c) => ({
      id: nextId(state),
      reviewId: id,
      path: c.path,
      line: c.line ?? null,
      diffHunk: c.diff_hunk ?? "",
      body: c.body,
      user,
      createdAt: now,
    })),
  };
  repo.reviews.push(review);
  return review;
}
