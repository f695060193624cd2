import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { deleteRemoteBranches, isLaneBranch } from "../github/delete-remote-branches.js";
import type { WorkerDeps } from "./worker-deps.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";

const ACTIVE = new Set(["queued", "running", "finishing"]);

/**
 * The daily sweep: deletes branches of closed, unmerged generated PRs whose retention ended
 * (unless the PR was reopened), and removes this worker's worktrees of races no longer running.
 */
export async function processMaintenanceJob(deps: WorkerDeps, now = Date.now()): Promise<{ branches: number; worktrees: number }> {
  let branches = 0;
  for (const entry of await deps.registry.takeExpiredBranches(now)) {
    if (!isLaneBranch(entry.branch)) {
      deps.log.warn({ owner: entry.owner, repo: entry.repo, branch: entry.branch }, "sweep refused a branch outside agent-race/");
      continue;
    }
    const octokit = await deps.github.octokitFor(entry.installationId, { repo: entry.repo, permissions: JOB_PERMISSIONS.sweep });
    const repo = { owner: entry.owner, repo: entry.repo };
    const pr = (await octokit.rest.pulls.get({ ...repo, pull_number: entry.prNumber })).data;
    if (pr.state === "open") continue;
    branches += (await deleteRemoteBranches(octokit, repo, [entry.branch])).length;
  }
  let worktrees = 0;
  for (const raceId of await readdir(deps.worktreeRoot).catch(() => [] as string[])) {
    const meta = await deps.registry.getMeta(raceId);
    if (meta && ACTIVE.has(meta.state)) continue;
    await rm(join(deps.worktreeRoot, raceId), { recursive: true, force: true });
    worktrees += 1;
  }
  deps.log.info({ branches, worktrees }, "sweep finished");
  return { branches, worktrees };
}
