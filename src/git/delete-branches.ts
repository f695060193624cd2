import { GitError } from "../errors.js";
import { runGit } from "./git.js";
import { retryOnLock } from "./retry-on-lock.js";

/** Force-deletes each local branch (`git branch -D`), skipping ones that do not exist; returns those deleted. */
export async function deleteBranches(repoDir: string, branches: readonly string[]): Promise<string[]> {
  const deleted: string[] = [];
  for (const branch of new Set(branches)) {
    if (branch.length === 0) continue;
    const exists = await runGit(["show-ref", "--verify", "--quiet", `refs/heads/${branch}`], { cwd: repoDir, allowFailure: true });
    if (exists.exitCode !== 0) continue;
    try {
      await retryOnLock(() => runGit(["branch", "-D", "--", branch], { cwd: repoDir }));
      deleted.push(branch);
    } catch (error) {
      // Someone else deleted it between the check and now.
      if (error instanceof GitError && /not found/.test(error.stderr)) continue;
      throw error;
    }
  }
  return deleted;
}
