import type { RaceStore } from "./race-store.js";
import { removeRaceDir } from "./remove-race-dir.js";

/**
 * Marks races whose process is gone as interrupted and removes their leftover lane directories.
 * Runs at the start of every command.
 */
/** `_repoDir` is unused since lanes stopped being linked worktrees (nothing to prune); callers still pass it. */
export async function recoverStaleRaces(store: RaceStore, _repoDir?: string): Promise<string[]> {
  const recovered: string[] = [];
  for (const record of await store.list()) {
    if (record.state !== "running" || isAlive(record.pid)) continue;
    await removeRaceDir(record.worktree_dir, record.lanes.map((lane) => lane.lane), false);
    await store.save({ ...record, state: "interrupted" });
    recovered.push(record.id);
  }
  return recovered;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
