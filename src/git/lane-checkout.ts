import { constants } from "node:fs";
import { copyFile, lstat, mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { GitError, UserError } from "../errors.js";
import { isSafeBranchName } from "./branch-name.js";
import { runGit } from "./git.js";
import { laneGit, setIndexEntries, treeEntries, type LaneGit } from "./lane-git.js";
import { LANE_MARKER, removeLaneCheckout } from "./remove-lane-checkout.js";
import { retryOnLock } from "./retry-on-lock.js";

export { removeLaneCheckout } from "./remove-lane-checkout.js";

/** One lane's directories. Only `work`, `home` and `tmp` are ever given to lane processes; `dir` itself never is. */
export interface LaneCheckout {
  /** The lane directory: `<worktreeDir>/lane-N`. */
  dir: string;
  /** `dir/work`: the checked-out files and the lane's own `.git` directory (the agent's git). */
  work: string;
  /** `dir/home`: an empty per-lane HOME (0700). */
  home: string;
  /** `dir/tmp`: an empty per-lane temp dir (0700). */
  tmp: string;
  /** `dir/app.index`: the app's own index of `work`, outside it. */
  index: string;
  /** The repository's git dir (the bare mirror, or the user's `.git`): config only the app writes. */
  gitDir: string;
  /** `gitDir`'s object store, which the lane's `.git` borrows read-only through `objects/info/alternates`. */
  objectsDir: string;
}

export interface CreateLaneCheckoutOptions {
  /** The repository (a checkout or a bare mirror) the branch is created in. */
  repoDir: string;
  /** The lane directory; it must not exist yet (or be empty). */
  dir: string;
  /** A new branch, created in the repository at `baseSha`; it must not exist yet. */
  branch: string;
  baseSha: string;
  /** Replaces `paths` (files or `dir/`s) by their version at `fromSha`, or removes them where it has none. */
  restore?: { fromSha: string; paths: readonly string[] } | undefined;
}

/**
 * Files a coding agent (or the hooks and tools it starts) reads from its working directory as
 * configuration. A lane that starts from a head an earlier agent wrote (a revision) gets these from the
 * race's base instead. Includes claude-code-action's list (`src/github/operations/restore-config.ts`).
 */
export const AGENT_CONFIG_PATHS: readonly string[] = [
  ".claude/", ".claude.json", ".mcp.json", "CLAUDE.md", "CLAUDE.local.md",
  ".codex/", "AGENTS.md", "AGENTS.override.md",
  ".aider.conf.yml", ".aider.model.settings.yml", ".aider.model.metadata.json", ".aiderignore",
  ".gemini/", "GEMINI.md", ".qwen/", "QWEN.md", "opencode.json", "opencode.jsonc", ".opencode/", ".agents/", "CONTEXT.md",
  ".github/copilot/", ".github/copilot-instructions.md", ".github/instructions/", ".github/skills/", ".github/agents/",
  ".github/agent-race.yml", ".gitmodules", ".ripgreprc", ".husky/", "bunfig.toml",
];

export function laneCheckoutPaths(dir: string, gitDir: string): LaneCheckout {
  const root = resolve(dir);
  const git = resolve(gitDir);
  return {
    dir: root, work: join(root, "work"), home: join(root, "home"), tmp: join(root, "tmp"), index: join(root, "app.index"),
    gitDir: git, objectsDir: join(git, "objects"),
  };
}

/**
 * Creates `branch` at `baseSha` in the repository and checks its files out into `dir/work` with the
 * app's own git (`--git-dir`/`--work-tree`, the index at `dir/app.index`): no git ever discovers
 * `work/.git`. Then writes `work/.git`, a plain git dir the lane owns (HEAD on the branch, objects
 * borrowed from the repository, a copy of the index), so `git status`, `log`, `diff` and `commit` work
 * inside the lane while nothing it writes there reaches the repository. With `restore`, the agent-config
 * paths are swapped in the index before anything is written, so the checkout never writes through a
 * symlink of the head. On failure the branch and directory are removed again.
 */
export async function createLaneCheckout(options: CreateLaneCheckoutOptions): Promise<{ checkout: LaneCheckout; restored: string[] }> {
  const { branch, restore } = options;
  if (!isSafeBranchName(branch)) throw new UserError(`refusing unsafe branch name ${JSON.stringify(branch)}`);
  const gitDir = await repositoryGitDir(options.repoDir);
  const checkout = laneCheckoutPaths(options.dir, gitDir);
  assertOutside(checkout.dir, gitDir, resolve(options.repoDir));
  const repository = await laneGit({ gitDir });
  const base = await commitOid(repository, options.baseSha);
  const from = restore ? await commitOid(repository, restore.fromSha) : null;
  const ref = `refs/heads/${branch}`;
  if (await resolves(repository, ref)) throw new UserError(`branch "${branch}" already exists`);
  await makeLaneDir(checkout);
  const git = await laneGit(checkout);
  let refCreated = false;
  try {
    const zero = "0".repeat(base.length);
    await retryOnLock(() => git(["update-ref", "--no-deref", "-m", "agent-race: lane", ref, base, zero])).catch(async (error: unknown) => {
      if (error instanceof GitError && (await resolves(git, ref))) throw new UserError(`branch "${branch}" already exists`, { cause: error });
      throw error;
    });
    refCreated = true;
    await git(["read-tree", base]);
    const restored = restore && from ? await restorePaths(git, base, from, restore.paths) : [];
    await git(["checkout-index", "--all", "-u"]);
    await writeLaneGitDir(checkout, branch, base, (await git(["rev-parse", "--show-object-format"])).stdout.trim());
    return { checkout, restored };
  } catch (error) {
    if (refCreated) await git(["update-ref", "-d", ref, base], { allowFailure: true });
    await removeLaneCheckout(checkout.dir).catch(() => undefined);
    throw error;
  }
}

/** The repository's common git dir, absolute (a bare mirror is its own). */
async function repositoryGitDir(repoDir: string): Promise<string> {
  const { stdout } = await runGit(["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: repoDir });
  return resolve(stdout.trim());
}

async function commitOid(git: LaneGit, rev: string): Promise<string> {
  if (!/^[0-9a-f]{4,64}$/i.test(rev)) throw new UserError(`not a commit sha: ${JSON.stringify(rev)}`);
  const result = await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], { allowFailure: true });
  if (result.exitCode !== 0) throw new UserError(`commit ${rev} not found`);
  return result.stdout.trim();
}

async function resolves(git: LaneGit, ref: string): Promise<boolean> {
  return (await git(["show-ref", "--verify", "--quiet", ref], { allowFailure: true })).exitCode === 0;
}

/** Swaps the restore paths in the app index for their version at `from`; returns the paths that changed. */
async function restorePaths(git: LaneGit, head: string, from: string, paths: readonly string[]): Promise<string[]> {
  const list = [...new Set(paths.map(restorePath))];
  const current = await treeEntries(git, head, list);
  const wanted = await treeEntries(git, from, list);
  const changes = new Map<string, string | null>();
  for (const path of current.keys()) if (!wanted.has(path)) changes.set(path, null);
  for (const [path, entry] of wanted) if (current.get(path) !== entry) changes.set(path, entry);
  // A file or symlink in the head where a restored path needs a directory (`.claude` -> elsewhere) goes too.
  const parents = [...new Set([...wanted.keys()].flatMap(ancestors))];
  for (const [path, entry] of await treeEntries(git, head, parents, false)) if (!entry.startsWith("040000 ")) changes.set(path, null);
  await setIndexEntries(git, changes, "0".repeat(head.length));
  return [...changes.keys()].sort();
}

function restorePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const parts = trimmed.split("/");
  if (!trimmed || isAbsolute(trimmed) || parts.some((p) => p === "" || p === "." || p === ".." || p.toLowerCase() === ".git")) {
    throw new Error(`invalid restore path ${JSON.stringify(path)}`);
  }
  return trimmed;
}

function ancestors(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/** Refuses a lane directory inside the repository's git dir, or one that contains the repository. */
function assertOutside(dir: string, gitDir: string, repoDir: string): void {
  const within = (inner: string, outer: string): boolean => {
    const rel = relative(outer, inner);
    return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  };
  if (within(dir, gitDir)) throw new UserError(`refusing a lane directory inside the git dir ${gitDir}`);
  for (const path of [gitDir, repoDir]) {
    if (within(path, dir)) throw new UserError(`refusing a lane directory that contains the repository ${path}`);
  }
}

async function makeLaneDir(c: LaneCheckout): Promise<void> {
  await mkdir(dirname(c.dir), { recursive: true });
  try {
    await mkdir(c.dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const stat = await lstat(c.dir);
    if (!stat.isDirectory() || (await readdir(c.dir)).length > 0) throw new UserError(`${c.dir} already exists`, { cause: error });
  }
  await writeFile(join(c.dir, LANE_MARKER), "An agent-race lane: removed with its race.\n", { flag: "wx" });
  await mkdir(c.work);
  await mkdir(c.home, { mode: 0o700 });
  await mkdir(c.tmp, { mode: 0o700 });
}

/** `work/.git`: HEAD on the branch at `base`, the repository's objects as an alternate, the app index copied. */
async function writeLaneGitDir(c: LaneCheckout, branch: string, base: string, objectFormat: string): Promise<void> {
  const dotGit = join(c.work, ".git");
  const write = (path: string, text: string): Promise<void> => writeFile(join(dotGit, path), text, { flag: "wx" });
  for (const path of ["objects/info", "objects/pack", "refs/tags", dirname(`refs/heads/${branch}`)]) {
    await mkdir(join(dotGit, path), { recursive: true });
  }
  const sha256 = objectFormat === "sha256";
  await write("config", [
    "[core]", `\trepositoryformatversion = ${sha256 ? 1 : 0}`, "\tfilemode = true", "\tbare = false", "\tlogallrefupdates = true",
    // Inside a sandbox the files' owner differs from the one the index recorded: compare by content, not owner.
    "\tcheckStat = minimal",
    ...(sha256 ? ["[extensions]", "\tobjectformat = sha256"] : []),
    "[user]", "\tname = agent-race lane", "\temail = agent-race@users.noreply.github.com", "",
  ].join("\n"));
  await write("HEAD", `ref: refs/heads/${branch}\n`);
  await write(`refs/heads/${branch}`, `${base}\n`);
  await write("objects/info/alternates", `${c.objectsDir}\n`);
  await copyFile(c.index, join(dotGit, "index"), constants.COPYFILE_EXCL);
  // A shallow repository's lane needs the same boundary, or `git log` stops at a missing parent.
  await copyFile(join(c.gitDir, "shallow"), join(dotGit, "shallow"), constants.COPYFILE_EXCL).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}
