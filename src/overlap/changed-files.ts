import { runGit } from "../git/git.js";

/**
 * The paths `head` changed since it forked from `base` (`git diff base...head`, like a pull request's files),
 * without rename detection: a rename shows as its old and its new path. Sorted.
 */
export async function changedFiles(repoDir: string, base: string, head: string): Promise<string[]> {
  const args = ["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--end-of-options", `${base}...${head}`, "--"];
  const { stdout } = await runGit(args, { cwd: repoDir });
  return stdout.split("\0").filter((path) => path.length > 0).sort();
}
