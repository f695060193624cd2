import { runGit } from "./git.js";

/**
 * Local branch names under `refs/heads/<prefix>`, matched as a path: `agent-race/x-1` finds
 * `agent-race/x-1/lane` but not `agent-race/x-10/lane`. An empty prefix lists every branch.
 */
export async function listBranches(repoDir: string, prefix: string): Promise<string[]> {
  const pattern = `refs/heads/${prefix.replace(/^\/+|\/+$/g, "")}`;
  const { stdout } = await runGit(["for-each-ref", "--format=%(refname)", "--", pattern], { cwd: repoDir });
  return stdout
    .split("\n")
    .filter((ref) => ref.startsWith("refs/heads/"))
    .map((ref) => ref.slice("refs/heads/".length))
    .sort();
}
