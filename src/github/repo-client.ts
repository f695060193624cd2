import type { ReactionContent, ReactionTarget } from "./add-reaction.js";
import type { IssueState } from "./fetch-issue-state.js";
import type { LaneCheckRunInput } from "./lane-check-run.js";
import type { OpenedPullRequest, OpenPullRequestInput } from "./open-pull-request.js";
import type { RaceLabelState } from "./race-labels.js";
import type { UpsertCommentInput } from "./upsert-comment.js";
import type { OpenPr, PrFilesStore } from "../model/overlap.js";

/** What agent-race needs of a pull request. */
export interface PullState {
  open: boolean;
  merged: boolean;
  draft: boolean;
  /** The head branch (in the same repository for a generated PR). */
  headRef: string;
  headSha: string;
  /** The commit the PR's base branch points at. */
  baseSha: string;
  body: string;
}

/** One review comment, with where it points. */
export interface ReviewCommentData {
  path: string;
  line: number | null;
  diffHunk: string;
  body: string;
  author: string | null;
}

/** What a PR update may change. */
export interface PullUpdate {
  title?: string;
  body?: string;
  state?: "open" | "closed";
}

/**
 * One repository on GitHub, as agent-race uses it: the only way code above `github/` reaches
 * GitHub, so no Octokit or Probot type leaves this folder. Built per job, with a token narrowed to
 * the repository and the job's permissions (`GitHubAuth.clientFor`).
 */
export interface RepoClient {
  readonly owner: string;
  readonly name: string;
  // Issues and comments.
  comment(issueNumber: number, body: string): Promise<void>;
  /** Creates or updates the comment carrying `input.marker`; returns its id. */
  upsertComment(issueNumber: number, input: UpsertCommentInput): Promise<number>;
  /** Posts once per issue and key; returns whether it posted. */
  replyOnce(issueNumber: number, key: string, body: string): Promise<boolean>;
  /** Best effort; returns whether it reacted. */
  react(target: ReactionTarget, content: ReactionContent): Promise<boolean>;
  /** Null when the issue or PR is missing (404, 410). */
  issueState(number: number): Promise<IssueState | null>;
  /** Which of these are still open; a missing one counts as closed. */
  openIssues(numbers: readonly number[]): Promise<number[]>;
  addLabels(issueNumber: number, labels: string[]): Promise<void>;
  /** Creates agent-race's labels where missing; returns the ones it created. */
  ensureLabels(): Promise<string[]>;
  setRaceState(issueNumber: number, state: RaceLabelState): Promise<void>;
  /** The collaborator permission level (`admin`, `write`, `read`, `none`, …). */
  permission(login: string): Promise<string>;
  // Contents and branches.
  /** The repo config file's text on `ref`; null when there is none. */
  configText(ref: string): Promise<string | null>;
  branchSha(branch: string): Promise<string>;
  /** Creates `branch` at `sha`; a branch that already exists is left as it is. */
  restoreBranch(branch: string, sha: string): Promise<void>;
  /** Deletes generated lane branches only; returns the ones deleted. */
  deleteBranches(branches: string[]): Promise<string[]>;
  // Pull requests and checks.
  pull(number: number): Promise<PullState>;
  openPullRequest(input: OpenPullRequestInput): Promise<OpenedPullRequest>;
  updatePull(number: number, update: PullUpdate): Promise<void>;
  /** Comments on the PR, then closes it. */
  closePull(number: number, why: string): Promise<void>;
  markReadyForReview(number: number): Promise<void>;
  reviewComments(prNumber: number, reviewId: number): Promise<ReviewCommentData[]>;
  /** Publishes a lane's result as a check run on its head; returns the check run's id. */
  publishCheckRun(input: LaneCheckRunInput): Promise<number>;
  /** The open PRs and their changed files (batched GraphQL, cached in `store` by head SHA), and how many requests that took. */
  openPrFiles(store: PrFilesStore): Promise<{ prs: OpenPr[]; requests: number }>;
}
