/** The in-memory model behind the fake GitHub server. Tests may inspect (and mutate) it freely. */

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot";
}

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface FakeReaction {
  id: number;
  content: ReactionContent;
  user: FakeUser;
  createdAt: string;
}

/** An issue or the issue half of a pull request (GitHub shares numbers and endpoints). */
export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: FakeUser;
  state: "open" | "closed";
  stateReason: string | null;
  /** Label names, in the order they were added. */
  labels: string[];
  reactions: FakeReaction[];
  isPullRequest: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: FakeUser;
  reactions: FakeReaction[];
  createdAt: string;
  updatedAt: string;
}

/** Pull-request-only fields; title, body, state and labels live on the matching FakeIssue. */
export interface FakePull {
  id: number;
  nodeId: string;
  number: number;
  head: string;
  base: string;
  /** Last known head sha (refreshed from the bare repo while the branch exists). */
  headSha: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

export interface FakeReviewComment {
  id: number;
  reviewId: number;
  path: string;
  line: number | null;
  diffHunk: string;
  body: string;
  user: FakeUser;
  createdAt: string;
}

export interface FakeReview {
  id: number;
  pullNumber: number;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  body: string | null;
  user: FakeUser;
  commitId: string;
  submittedAt: string;
  comments: FakeReviewComment[];
}

export interface FakeCheckRunOutput {
  title: string | null;
  summary: string | null;
  text: string | null;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  output: FakeCheckRunOutput;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string | null;
  completedAt: string | null;
}

export interface FakeRepoState {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  bareDir: string;
  installationId: number;
  /** Keyed by lower-cased label name. */
  labels: Map<string, FakeLabel>;
  issues: Map<number, FakeIssue>;
  comments: Map<number, FakeComment>;
  pulls: Map<number, FakePull>;
  reviews: FakeReview[];
  checkRuns: Map<number, FakeCheckRun>;
  /** Keyed by lower-cased login. */
  permissions: Map<string, Permission>;
  nextNumber: number;
}

export type FakePermissionLevel = "read" | "write";

export interface FakeToken {
  token: string;
  installationId: number;
  createdAt: string;
  expiresAt: string;
  /** Set when the token was asked for with `repositories`/`repository_ids`: the names of the only repositories it reaches. */
  repositories?: string[];
  /** Set when the token was asked for with `permissions`: all it may do (`metadata: read` is implied, as on GitHub). */
  permissions?: Record<string, FakePermissionLevel>;
}

export interface FakeInstallation {
  id: number;
  account: FakeUser;
}

export interface GitRequestRecord {
  owner: string;
  repo: string;
  method: string;
  /** Path below `<repo>.git`, e.g. `/info/refs`. */
  path: string;
  service: "git-upload-pack" | "git-receive-pack" | null;
  /** The installation token from basic auth, or null when missing/invalid. */
  token: string | null;
  status: number;
}

export interface RequestRecord {
  method: string;
  /** Pathname without the query string, e.g. `/api/v3/repos/o/r/pulls`. */
  path: string;
  query: string;
  status: number;
  /** Parsed JSON request body, when there was one. */
  body?: unknown;
}

export interface FakeState {
  /** Keyed by lower-cased `owner/name`. */
  repos: Map<string, FakeRepoState>;
  tokens: Map<string, FakeToken>;
  installations: Map<number, FakeInstallation>;
  /** Keyed by lower-cased login. */
  users: Map<string, FakeUser>;
  gitRequests: GitRequestRecord[];
  bot: FakeUser;
  appId: number;
  lastId: number;
}
