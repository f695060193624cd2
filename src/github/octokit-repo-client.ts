import { addReaction, type ReactionContent, type ReactionTarget } from "./add-reaction.js";
import { deleteRemoteBranches } from "./delete-remote-branches.js";
import { fetchConfigText } from "./fetch-config-text.js";
import { fetchIssueState, type IssueState } from "./fetch-issue-state.js";
import type { GitHubClient } from "./client/github-client.js";
import { httpStatus } from "./client/http-status.js";
import { isAlreadyExists } from "./client/is-already-exists.js";
import { publishLaneCheckRun, type LaneCheckRunInput } from "./lane-check-run.js";
import { openIssues } from "./open-issues.js";
import { openPullRequest, type OpenedPullRequest, type OpenPullRequestInput } from "./open-pull-request.js";
import { ensureLabels, setRaceState, type RaceLabelState } from "./race-labels.js";
import { replyOnce } from "./reply-once.js";
import type { PullState, PullUpdate, RepoClient, ReviewCommentData } from "./repo-client.js";
import type { RepoRef } from "./repo-ref.js";
import { upsertComment, type UpsertCommentInput } from "./upsert-comment.js";
import { fetchOpenPrFiles } from "./open-prs/fetch-open-pr-files.js";
import type { OpenPr, PrFilesStore } from "../model/overlap.js";

const MARK_READY = `mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { number } } }`;

/** The RepoClient over an installation's Octokit. */
export class OctokitRepoClient implements RepoClient {
  private readonly ref: RepoRef;

  constructor(
    private readonly octokit: GitHubClient,
    readonly owner: string,
    readonly name: string,
  ) {
    this.ref = { owner, repo: name };
  }

  async comment(issueNumber: number, body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({ ...this.ref, issue_number: issueNumber, body });
  }

  upsertComment(issueNumber: number, input: UpsertCommentInput): Promise<number> {
    return upsertComment(this.octokit, this.ref, issueNumber, input);
  }

  replyOnce(issueNumber: number, key: string, body: string): Promise<boolean> {
    return replyOnce(this.octokit, this.ref, issueNumber, key, body);
  }

  react(target: ReactionTarget, content: ReactionContent): Promise<boolean> {
    return addReaction(this.octokit, this.ref, target, content);
  }

  issueState(number: number): Promise<IssueState | null> {
    return fetchIssueState(this.octokit, this, number);
  }

  openIssues(numbers: readonly number[]): Promise<number[]> {
    return openIssues(this.octokit, this, numbers);
  }

  async addLabels(issueNumber: number, labels: string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ ...this.ref, issue_number: issueNumber, labels });
  }

  ensureLabels(): Promise<string[]> {
    return ensureLabels(this.octokit, this.ref);
  }

  setRaceState(issueNumber: number, state: RaceLabelState): Promise<void> {
    return setRaceState(this.octokit, this.ref, issueNumber, state);
  }

  async permission(login: string): Promise<string> {
    return (await this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.ref, username: login })).data.permission;
  }

  configText(ref: string): Promise<string | null> {
    return fetchConfigText(this.octokit, this.ref, ref);
  }

  async branchSha(branch: string): Promise<string> {
    return (await this.octokit.rest.repos.getBranch({ ...this.ref, branch })).data.commit.sha;
  }

  async restoreBranch(branch: string, sha: string): Promise<void> {
    try {
      await this.octokit.rest.git.createRef({ ...this.ref, ref: `refs/heads/${branch}`, sha });
    } catch (error) {
      if (!isAlreadyExists(error) && httpStatus(error) !== 422) throw error;
    }
  }

  deleteBranches(branches: string[]): Promise<string[]> {
    return deleteRemoteBranches(this.octokit, this.ref, branches);
  }

  async pull(number: number): Promise<PullState> {
    const { data } = await this.octokit.rest.pulls.get({ ...this.ref, pull_number: number });
    return { open: data.state === "open", merged: data.merged, draft: data.draft ?? false, headRef: data.head.ref, headSha: data.head.sha, baseSha: data.base.sha, body: data.body ?? "" };
  }

  openPullRequest(input: OpenPullRequestInput): Promise<OpenedPullRequest> {
    return openPullRequest(this.octokit, this.ref, input);
  }

  async updatePull(number: number, update: PullUpdate): Promise<void> {
    await this.octokit.rest.pulls.update({ ...this.ref, pull_number: number, ...update });
  }

  async closePull(number: number, why: string): Promise<void> {
    await this.comment(number, why);
    await this.updatePull(number, { state: "closed" });
  }

  async markReadyForReview(number: number): Promise<void> {
    const { data } = await this.octokit.rest.pulls.get({ ...this.ref, pull_number: number });
    if (data.draft) await this.octokit.graphql(MARK_READY, { id: data.node_id });
  }

  async reviewComments(prNumber: number, reviewId: number): Promise<ReviewCommentData[]> {
    const listed = await this.octokit.paginate(this.octokit.rest.pulls.listCommentsForReview, { ...this.ref, pull_number: prNumber, review_id: reviewId, per_page: 100 });
    return listed.map((c) => ({ path: c.path, line: (c as { line?: number | null }).line ?? null, diffHunk: c.diff_hunk, body: c.body, author: c.user?.login ?? null }));
  }

  publishCheckRun(input: LaneCheckRunInput): Promise<number> {
    return publishLaneCheckRun(this.octokit, this.ref, input);
  }

  openPrFiles(store: PrFilesStore): Promise<{ prs: OpenPr[]; requests: number }> {
    return fetchOpenPrFiles(this.octokit, this.ref, { cache: store });
  }
}
