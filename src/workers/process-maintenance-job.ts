import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { isLaneBranch } from "../github/delete-remote-branches.js";
import type { WorkerDeps } from "./worker-deps.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";

const ACTIVE = new Set(["queued", "running", "finishing"]);

/**
 * The daily sweep: deletes branches of closed, unmerged generated PRs whose retention ended
 * (unless the PR was reopened), and removes this worker's worktrees of races no longer running.
 */
export async function processMaintenanceJob(deps: WorkerDeps, now = Date.now()): Promise<{ branches: number; worktrees: number }> {
  let branches = 0;
  for (const entry of await deps.registry.branches.takeExpired(now)) {
    if (!isLaneBranch(entry.branch)) {
      deps.log.warn({ owner: entry.owner, repo: entry.repo, branch: entry.branch }, "sweep refused a branch outside agent-race/");
      continue;
    }
    const github = await deps.github.clientFor(entry.installationId, { owner: entry.owner, name: entry.repo }, JOB_PERMISSIONS.sweep);
    if ((await github.pull(entry.prNumber)).open) continue;
    branches += (await github.deleteBranches([entry.branch])).length;
  }
  let worktrees = 0;
  for (const raceId of await readdir(deps.worktreeRoot).catch(() => [] as string[])) {
    const meta = await deps.registry.races.get(raceId);
    if (meta && ACTIVE.has(meta.state)) continue;
    await rm(join(deps.worktreeRoot, raceId), { recursive: true, force: true });
    worktrees += 1;
  }
  deps.log.info({ branches, worktrees }, "sweep finished");
  return { branches, worktrees };
}
