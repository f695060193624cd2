import { runGit } from "./git.js";

export interface DiffStats {
  files: string[];
  insertions: number;
  deletions: number;
}

/**
 * Files changed between two commits and their line counts; binary files count as files with 0/0.
 * `repoDir` is the repository (mirror or the user's checkout), never a lane's files: a lane's `.git`
 * is the agent's and is never run.
 */
export async function diffStats(repoDir: string, baseSha: string, headSha: string): Promise<DiffStats> {
  const args = ["diff", "--numstat", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", "--end-of-options", baseSha, headSha, "--"];
  const { stdout } = await runGit(args, { cwd: repoDir, config: { "core.fsmonitor": "false" } });
  const stats: DiffStats = { files: [], insertions: 0, deletions: 0 };
  // Without renames each record is `<added>\t<deleted>\t<path>\0`; binary files show `-` for both counts.
  for (const record of stdout.split("\0")) {
    const match = /^(\d+|-)\t(\d+|-)\t([\s\S]+)$/.exec(record);
    if (!match) continue;
    const [, added = "-", deleted = "-", path = ""] = match;
    stats.files.push(path);
    stats.insertions += added === "-" ? 0 : Number(added);
    stats.deletions += deleted === "-" ? 0 : Number(deleted);
  }
  return stats;
}
