import type { GitHubClient } from "./client/github-client.js";
import { BRANCH_ROOT, isSafeBranchName } from "../git/branch-name.js";
import { httpStatus } from "./client/http-status.js";
import type { RepoRef } from "./repo-ref.js";

/**
 * Deletes branches on GitHub and returns the ones it deleted. Only generated lane branches (under
 * `agent-race/`) are ever deleted: any other name (from job data or Redis a lane may have changed) is
 * skipped. A branch that is already gone (404) or that GitHub refuses to delete (422) is skipped; other
 * errors are thrown.
 */
export async function deleteRemoteBranches(octokit: GitHubClient, repo: RepoRef, branches: string[]): Promise<string[]> {
  const deleted: string[] = [];
  for (const branch of branches) {
    if (!isLaneBranch(branch)) continue;
    try {
      await octokit.rest.git.deleteRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${branch}` });
      deleted.push(branch);
    } catch (error) {
      const status = httpStatus(error);
      if (status !== 404 && status !== 422) throw error;
    }
  }
  return deleted;
}

/** A generated lane branch: a safe name under `agent-race/`. */
export function isLaneBranch(branch: string): boolean {
  return isSafeBranchName(branch) && branch.startsWith(`${BRANCH_ROOT}/`);
}
