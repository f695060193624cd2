import { GitError, UserError } from "../errors.js";
import { runGit } from "./git.js";

export interface RepoInfo {
  /** The working tree's top level; null in a bare repository or inside the `.git` directory. */
  topLevel: string | null;
  /** Absolute path of the git common dir (shared by all worktrees). */
  commonDir: string;
  isBare: boolean;
}

/** Where the repository containing `cwd` lives; throws `UserError` outside a repository. */
export async function resolveRepo(cwd: string): Promise<RepoInfo> {
  let lines: string[];
  try {
    const args = ["rev-parse", "--is-bare-repository", "--is-inside-work-tree", "--path-format=absolute", "--git-common-dir"];
    lines = (await runGit(args, { cwd })).stdout.split("\n");
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (/dubious ownership/.test(error.stderr)) {
      throw new UserError(`git refuses to use ${cwd}: dubious ownership (see "git config --global safe.directory")`, { cause: error });
    }
    throw new UserError(`not a git repository: ${cwd}`, { cause: error });
  }
  const [bare, insideWorkTree, commonDir] = lines;
  if (commonDir === undefined) throw new GitError(["rev-parse"], `unexpected output: ${lines.join(" | ")}`);
  const topLevel = insideWorkTree === "true" ? (await runGit(["rev-parse", "--show-toplevel"], { cwd })).stdout : null;
  return { topLevel, commonDir, isBare: bare === "true" };
}

/** The commit sha `ref` names; throws `UserError` when it does not resolve to a commit. */
export async function resolveCommit(repoDir: string, ref: string): Promise<string> {
  const result =
    ref.length === 0
      ? null
      : await runGit(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd: repoDir, allowFailure: true });
  const sha = result?.exitCode === 0 ? result.stdout.trim() : "";
  if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new UserError(`base ref "${ref}" not found`);
  return sha;
}

/** The checked out branch's short name, or null when HEAD is detached. */
export async function currentBranch(dir: string): Promise<string | null> {
  const result = await runGit(["symbolic-ref", "--quiet", "HEAD"], { cwd: dir, allowFailure: true });
  if (result.exitCode === 1) return null;
  if (result.exitCode !== 0) throw new GitError(["symbolic-ref"], result.stderr);
  const ref = result.stdout.trim();
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : null;
}

/** Tracked paths with staged or unstaged changes (untracked files are ignored). Never writes the index. */
export async function isDirty(dir: string): Promise<string[]> {
  const { stdout } = await runGit(["status", "--porcelain=v1", "-z", "--untracked-files=no", "--no-renames"], {
    cwd: dir,
    env: { GIT_OPTIONAL_LOCKS: "0" },
  });
  const paths = stdout
    .split("\0")
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
  return [...new Set(paths)];
}
