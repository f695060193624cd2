import { rm } from "node:fs/promises";
import { UserError } from "../errors.js";
import { deleteBranches } from "../git/delete-branches.js";
import { resolveRepo } from "../git/repo-info.js";
import { pruneWorktrees, removeWorktree } from "../git/worktree.js";
import { RaceStore } from "./race-store.js";
import { recoverStaleRaces } from "./recover-stale-races.js";

/** Removes the worktrees, branches and records of one race, or of every finished race. */
export async function cleanRaces(input: { cwd: string; raceId?: string | undefined }): Promise<Array<{ id: string; branches: string[] }>> {
  const repo = await resolveRepo(input.cwd);
  const repoDir = repo.topLevel ?? repo.commonDir;
  const store = new RaceStore(repo.commonDir);
  await recoverStaleRaces(store, repoDir);
  const records = input.raceId ? [await store.get(input.raceId)] : await store.list();
  if (input.raceId && !records[0]) throw new UserError(`no race "${input.raceId}" in this repository; see \`agent-race list\``);
  const cleaned: Array<{ id: string; branches: string[] }> = [];
  for (const record of records) {
    if (!record) continue;
    if (record.state === "running") {
      if (input.raceId) throw new UserError(`race ${record.id} is still running (pid ${record.pid}); stop it first`);
      continue;
    }
    for (const lane of record.lanes) await removeWorktree(repoDir, `${record.worktree_dir}/lane-${lane.lane}`);
    await rm(record.worktree_dir, { recursive: true, force: true });
    const branches = await deleteBranches(repoDir, record.lanes.map((lane) => lane.branch));
    await store.remove(record.id);
    cleaned.push({ id: record.id, branches });
  }
  await pruneWorktrees(repoDir);
  return cleaned;
}
