import { UserError } from "../errors.js";
import { deleteBranches } from "../git/delete-branches.js";
import { runGit } from "../git/git.js";
import { resolveRepo } from "../git/repo-info.js";
import { RaceStore } from "./race-store.js";
import { recoverStaleRaces } from "./recover-stale-races.js";
import { removeRaceDir } from "./remove-race-dir.js";

/** Removes the lane directories, branches and records of one race, or of every finished race. */
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
    await removeRaceDir(record.worktree_dir, record.lanes.map((lane) => lane.lane), true);
    // Races from before lane checkouts had linked worktrees: forget them, or git keeps their branches checked out.
    await runGit(["worktree", "prune"], { cwd: repoDir });
    const branches = await deleteBranches(repoDir, record.lanes.map((lane) => lane.branch));
    await store.remove(record.id);
    cleaned.push({ id: record.id, branches });
  }
  return cleaned;
}

