import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where lane worktrees live: `AGENT_RACE_WORKTREE_DIR`, else a folder in the temp dir. */
export function worktreeRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.AGENT_RACE_WORKTREE_DIR || join(tmpdir(), "agent-race", "worktrees");
}
