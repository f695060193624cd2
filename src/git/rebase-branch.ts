import { GitError } from "../errors.js";
import { runGit, type RunGitOptions } from "./git.js";

export type RebaseOutcome = { clean: true; head: string } | { clean: false; conflicts: string[] };

const IDENTITY = { name: "agent-race", email: "agent-race@users.noreply.github.com" };
const CONFIG = { "core.hooksPath": "/dev/null", "commit.gpgSign": "false" } as const;

/**
 * Replays the commits of `onto..head` (merges dropped) onto `onto` in the repository itself: each one
 * is a 3-way `merge-tree --write-tree` with its parent as the base, then `commit-tree`. No worktree,
 * index, HEAD or ref is touched, and nothing is read from a lane's directory. Authors, dates and
 * messages are kept; agent-race is the committer; a commit that becomes empty is dropped. On a conflict
 * nothing is written but loose objects, and the conflicting paths are returned.
 */
export async function rebaseBranch(repoDir: string, options: { head: string; onto: string; signal?: AbortSignal | undefined }): Promise<RebaseOutcome> {
  const git = (args: string[], extra: Partial<RunGitOptions> = {}) => runGit(args, { cwd: repoDir, signal: options.signal, config: CONFIG, ...extra });
  const resolve = async (rev: string): Promise<string> => (await git(["rev-parse", "--verify", "--end-of-options", rev])).stdout.trim();
  const onto = await resolve(`${options.onto}^{commit}`);
  const list = await git(["rev-list", "--reverse", "--topo-order", "--no-merges", "--end-of-options", await resolve(`${options.head}^{commit}`), `^${onto}`]);
  let current = onto;
  for (const commit of list.stdout.split("\n").filter(Boolean)) {
    const parent = await resolve(`${commit}^1`);
    if (parent === current) {
      current = commit;
      continue;
    }
    // A stand-in for `current` whose only parent is the commit's parent: merge-tree's base is then that parent.
    const currentTree = await resolve(`${current}^{tree}`);
    const standIn = await commitTree(git, currentTree, parent, "agent-race rebase", { name: IDENTITY.name, email: IDENTITY.email, date: null });
    const merged = await git(["merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", "--end-of-options", standIn, commit], { allowFailure: true });
    const [tree = "", ...paths] = merged.stdout.split("\0");
    if (!/^[0-9a-f]{40,64}$/.test(tree) || (merged.exitCode !== 0 && merged.exitCode !== 1)) {
      throw new GitError(["merge-tree"], merged.stderr || `exit code ${merged.exitCode}`);
    }
    if (merged.exitCode === 1) return { clean: false, conflicts: [...new Set(paths.filter(Boolean))].sort() };
    if (tree === currentTree) continue;
    current = await commitTree(git, tree, current, await message(git, commit), await author(git, commit));
  }
  return { clean: true, head: current };
}

type Git = (args: string[], extra?: Partial<RunGitOptions>) => ReturnType<typeof runGit>;

async function commitTree(git: Git, tree: string, parent: string, text: string, by: { name: string; email: string; date: string | null }): Promise<string> {
  const env: Record<string, string> = {
    GIT_AUTHOR_NAME: by.name, GIT_AUTHOR_EMAIL: by.email, GIT_COMMITTER_NAME: IDENTITY.name, GIT_COMMITTER_EMAIL: IDENTITY.email,
    ...(by.date ? { GIT_AUTHOR_DATE: by.date } : {}),
  };
  return (await git(["commit-tree", "--no-gpg-sign", "-p", parent, "-F", "-", tree], { input: text, env })).stdout.trim();
}

async function message(git: Git, commit: string): Promise<string> {
  const raw = (await git(["cat-file", "commit", commit])).stdout;
  const start = raw.indexOf("\n\n");
  const text = start === -1 ? "" : raw.slice(start + 2);
  return text.endsWith("\n") ? text : `${text}\n`;
}

async function author(git: Git, commit: string): Promise<{ name: string; email: string; date: string }> {
  const { stdout } = await git(["show", "-s", "--format=%an%x00%ae%x00%ad", "--date=raw", "--end-of-options", commit]);
  const [name = "", email = "", date = ""] = stdout.split("\0");
  return { name, email, date: date.trim() };
}
