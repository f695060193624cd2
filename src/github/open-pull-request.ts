import { fitGitHubText } from "./render/fit-github-text.js";
import type { GitHubClient } from "./client/github-client.js";
import { isAlreadyExists } from "./client/is-already-exists.js";
import type { RepoRef } from "./repo-ref.js";

export interface OpenPullRequestInput {
  /** The branch in `repo` to merge from. */
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
}

export interface OpenedPullRequest {
  number: number;
  url: string;
  /** False when an open pull request for the branch already existed and was updated. */
  created: boolean;
}

/**
 * Opens a pull request for a lane branch, or updates the title and body of the open one, so a
 * retried job never opens a second. A create that loses a race with another ("A pull request
 * already exists") is answered by looking the winner up again.
 */
export async function openPullRequest(octokit: GitHubClient, repo: RepoRef, input: OpenPullRequestInput): Promise<OpenedPullRequest> {
  const existing = await updateExisting(octokit, repo, input);
  if (existing) return existing;
  try {
    const { data } = await octokit.rest.pulls.create({
      owner: repo.owner,
      repo: repo.repo,
      head: input.head,
      base: input.base,
      title: input.title,
      body: fitGitHubText(input.body, "pr-body"),
      draft: input.draft,
    });
    return { number: data.number, url: data.html_url, created: true };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    const again = await updateExisting(octokit, repo, input);
    if (again) return again;
    throw error;
  }
}

async function updateExisting(octokit: GitHubClient, repo: RepoRef, input: OpenPullRequestInput): Promise<OpenedPullRequest | null> {
  const { data: open } = await octokit.rest.pulls.list({
    owner: repo.owner,
    repo: repo.repo,
    state: "open",
    head: `${repo.owner}:${input.head}`,
    per_page: 1,
  });
  const pull = open[0];
  if (!pull) return null;
  const { data } = await octokit.rest.pulls.update({
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pull.number,
    title: input.title,
    body: fitGitHubText(input.body, "pr-body"),
  });
  return { number: data.number, url: data.html_url, created: false };
}
