import { rm } from "node:fs/promises";
import { pruneWorktrees } from "../git/worktree.js";
import type { RaceStore } from "./race-store.js";

/**
 * Marks races whose process is gone as interrupted, removes their leftover worktrees and
 * prunes git's worktree list. Runs at the start of every command.
 */
export async function recoverStaleRaces(store: RaceStore, repoDir: string): Promise<string[]> {
  const recovered: string[] = [];
  for (const record of await store.list()) {
    if (record.state !== "running" || isAlive(record.pid)) continue;
    await rm(record.worktree_dir, { recursive: true, force: true });
    await store.save({ ...record, state: "interrupted" });
    recovered.push(record.id);
  }
  await pruneWorktrees(repoDir);
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
