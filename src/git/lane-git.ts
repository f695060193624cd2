import { runGit, type GitResult, type RunGitOptions } from "./git.js";

/** Where the app's own git for a lane looks: the repository's git dir, and optionally the lane's files and the app's index. */
export interface LaneGitTarget {
  gitDir: string;
  work?: string | undefined;
  index?: string | undefined;
}

export type LaneGit = (args: readonly string[], options?: Omit<RunGitOptions, "cwd" | "config">) => Promise<GitResult>;

/**
 * Config for every git the app runs on a lane's files: no hooks, no fsmonitor, no attributes file
 * outside the repository, no submodule recursion, no split index or untracked cache (the index is
 * copied into the lane), symlinks stored as links.
 */
const APP_CONFIG: Readonly<Record<string, string>> = {
  "core.hooksPath": "/dev/null",
  "core.fsmonitor": "false",
  "core.untrackedCache": "false",
  "core.splitIndex": "false",
  "core.sparseCheckout": "false",
  "core.symlinks": "true",
  "core.attributesFile": "/dev/null",
  "index.sparse": "false",
  "submodule.recurse": "false",
  "advice.addEmbeddedRepo": "false",
  "gc.auto": "0",
  "maintenance.auto": "false",
  "commit.gpgSign": "false",
};

/** Only the repository's own config: no system or global file, nothing inherited through the environment. */
const CLEAN_ENV: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_PARAMETERS: "",
  GIT_ATTR_NOSYSTEM: "1",
  GIT_NO_REPLACE_OBJECTS: "1",
};

/**
 * A git runner for one lane that never discovers a repository: every call names `GIT_DIR` (and
 * `GIT_WORK_TREE`, `GIT_INDEX_FILE`) explicitly and runs with cwd in the git dir, under the config above.
 * Filter drivers the repository's config defines are switched off (`clean`, `smudge` and `process`
 * empty), so a `.gitattributes` a lane wrote can name them but never run them.
 */
export async function laneGit(target: LaneGitTarget): Promise<LaneGit> {
  // GIT_DIR and GIT_WORK_TREE (like --git-dir and --work-tree) turn repository discovery off.
  const base: Record<string, string> = {
    ...CLEAN_ENV, GIT_DIR: target.gitDir, ...(target.work ? { GIT_WORK_TREE: target.work } : {}), ...(target.index ? { GIT_INDEX_FILE: target.index } : {}),
  };
  const listed = await runGit(["config", "-z", "--get-regexp", "^filter\\."], {
    cwd: target.gitDir, env: { ...base, GIT_CONFIG_COUNT: "0" }, allowFailure: true,
  });
  const env = { ...base, ...filtersOff(listed.exitCode === 0 ? listed.stdout : "") };
  return (args, options = {}) => runGit(args, { ...options, cwd: target.gitDir, config: APP_CONFIG, env: { ...env, ...options.env } });
}

/** `GIT_CONFIG_COUNT`/`KEY`/`VALUE` entries that empty every filter driver in `config -z --get-regexp` output. */
function filtersOff(listing: string): Record<string, string> {
  const names = new Set<string>();
  for (const entry of listing.split("\0")) {
    const key = entry.split("\n")[0] ?? "";
    const match = /^filter\.(.+)\.[^.]+$/s.exec(key);
    if (match?.[1]) names.add(match[1]);
  }
  const env: Record<string, string> = {};
  let count = 0;
  for (const name of names) {
    for (const [variable, value] of [["clean", ""], ["smudge", ""], ["process", ""], ["required", "false"]] as const) {
      env[`GIT_CONFIG_KEY_${count}`] = `filter.${name}.${variable}`;
      env[`GIT_CONFIG_VALUE_${count}`] = value;
      count++;
    }
  }
  env.GIT_CONFIG_COUNT = String(count);
  return env;
}

/** One index or tree entry: `<mode> <oid>`, keyed by path. */
export type Entries = Map<string, string>;

/** Entries of `treeish` at or below `paths` (literal paths, not patterns). */
export async function treeEntries(git: LaneGit, treeish: string, paths: readonly string[], recursive = true): Promise<Entries> {
  if (paths.length === 0) return new Map();
  const args = ["ls-tree", ...(recursive ? ["-r"] : []), "-z", "--full-tree", "--end-of-options", treeish, "--", ...paths];
  const { stdout } = await git(args, { env: { GIT_LITERAL_PATHSPECS: "1" } });
  const entries: Entries = new Map();
  for (const record of stdout.split("\0")) {
    // `<mode> SP <type> SP <oid> TAB <path>`; trees (mode 040000) only without `recursive`
    const match = /^(\d{6}) (\w+) ([0-9a-f]+)\t([\s\S]+)$/.exec(record);
    if (match?.[4]) entries.set(match[4], `${match[1]} ${match[3]}`);
  }
  return entries;
}

/** Stage-0 entries of the index at exactly `paths`. */
export async function indexEntries(git: LaneGit, paths: readonly string[]): Promise<Entries> {
  if (paths.length === 0) return new Map();
  const { stdout } = await git(["ls-files", "-s", "-z", "--", ...paths], { env: { GIT_LITERAL_PATHSPECS: "1" } });
  const entries: Entries = new Map();
  for (const record of stdout.split("\0")) {
    // `<mode> SP <oid> SP <stage> TAB <path>`
    const match = /^(\d{6}) ([0-9a-f]+) (\d)\t([\s\S]+)$/.exec(record);
    if (match?.[4] && match[3] === "0") entries.set(match[4], `${match[1]} ${match[2]}`);
  }
  return entries;
}

/** Sets index entries (`<mode> <oid>`, or null to remove the path); conflicting parents or children are replaced. */
export async function setIndexEntries(git: LaneGit, changes: ReadonlyMap<string, string | null>, zeroOid: string): Promise<void> {
  if (changes.size === 0) return;
  // Removals first, so an added `a/b` can replace what was the file `a`.
  const ordered = [...changes].sort(([, a], [, b]) => Number(a !== null) - Number(b !== null));
  const input = ordered.map(([path, entry]) => `${entry ?? `0 ${zeroOid}`}\t${path}\0`).join("");
  await git(["update-index", "-z", "--add", "--replace", "--index-info"], { input });
}
