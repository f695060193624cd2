import { stat, rename, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { withFileLock } from "./file-lock.js";
import { runGit } from "./git.js";
import { hasCredentials } from "./has-credentials.js";
import { retryOnLock } from "./retry-on-lock.js";

export interface EnsureMirrorInput {
  /** Root of the per-machine cache; mirrors live at `<cacheDir>/<owner>/<repo>.git`. */
  cacheDir: string;
  owner: string;
  repo: string;
  /** The remote, without credentials (e.g. `https://github.com/<owner>/<repo>.git`). */
  cloneUrl: string;
  /** `http.extraHeader` line (see `basicAuthHeader`); only ever passed through the environment. */
  authHeader?: string;
  /** Commits that must be present after the fetch (e.g. a race's base sha). */
  wantShas?: readonly string[];
  signal?: AbortSignal;
}

const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;
const HEX = /^[0-9a-f]{4,64}$/i;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const NO_HOOKS = { "core.hooksPath": "/dev/null" } as const;

/**
 * Creates (once) and fetches the bare mirror of `<owner>/<repo>` under `cacheDir`, holding a file lock so
 * concurrent races on one machine take turns. Remote branches land in `refs/remotes/origin/*` (pruned); the
 * mirror's own `refs/heads/*` (lane branches) are never touched by the fetch. Returns the mirror's path.
 */
export async function ensureMirror(input: EnsureMirrorInput): Promise<string> {
  const { owner, repo, cloneUrl, authHeader, signal } = input;
  for (const name of [owner, repo]) {
    if (!SAFE_NAME.test(name) || name === "." || name === "..") throw new Error(`invalid repository name ${JSON.stringify(name)}`);
  }
  if (hasCredentials(cloneUrl)) throw new Error(`clone URL for ${owner}/${repo} must not contain credentials; pass authHeader`);
  if (cloneUrl.startsWith("-")) throw new Error(`invalid clone URL for ${owner}/${repo}`);
  const wantShas = [...new Set(input.wantShas ?? [])];
  for (const sha of wantShas) if (!HEX.test(sha)) throw new Error(`invalid commit sha ${JSON.stringify(sha)}`);
  const mirror = join(resolve(input.cacheDir), owner, `${repo}.git`);
  return withFileLock(
    `${mirror}.lock`,
    async () => {
      if (!(await exists(join(mirror, "HEAD")))) await createMirror(mirror, cloneUrl, signal);
      else await updateUrl(mirror, cloneUrl, signal);
      await retryOnLock(() => runGit(["fetch", "--prune", "--no-tags", "--quiet", "origin"], { cwd: mirror, authHeader, signal, config: NO_HOOKS }));
      for (const sha of wantShas) {
        if (await hasCommit(mirror, sha, signal)) continue;
        if (FULL_SHA.test(sha)) {
          const args = ["fetch", "--no-prune", "--no-tags", "--quiet", "--end-of-options", "origin", sha];
          await runGit(args, { cwd: mirror, authHeader, signal, config: NO_HOOKS, allowFailure: true });
          if (await hasCommit(mirror, sha, signal)) continue;
        }
        throw new Error(`base commit ${sha} not found in ${owner}/${repo}`);
      }
      return mirror;
    },
    signal ? { signal } : {},
  );
}

/** Builds the mirror in a scratch directory and renames it into place, so a half-made mirror is never seen. */
async function createMirror(mirror: string, cloneUrl: string, signal: AbortSignal | undefined): Promise<void> {
  const scratch = `${mirror}.init`;
  await rm(scratch, { recursive: true, force: true });
  try {
    await runGit(["init", "--quiet", "--bare", "--", scratch], { cwd: dirname(mirror), signal });
    const settings: [string, string][] = [
      ["remote.origin.url", cloneUrl],
      ["remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"],
      ["remote.origin.tagOpt", "--no-tags"],
      ["core.hooksPath", "/dev/null"],
      ["core.logAllRefUpdates", "false"],
      ["gc.auto", "0"],
      ["fetch.prune", "true"],
    ];
    for (const [key, value] of settings) await runGit(["config", key, value], { cwd: scratch, signal });
    await rename(scratch, mirror);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function updateUrl(mirror: string, cloneUrl: string, signal: AbortSignal | undefined): Promise<void> {
  const current = await runGit(["config", "--get", "remote.origin.url"], { cwd: mirror, signal, allowFailure: true });
  if (current.stdout.trim() !== cloneUrl) await runGit(["config", "remote.origin.url", cloneUrl], { cwd: mirror, signal });
}

async function hasCommit(mirror: string, sha: string, signal: AbortSignal | undefined): Promise<boolean> {
  const result = await runGit(["cat-file", "-e", `${sha}^{commit}`], { cwd: mirror, signal, allowFailure: true });
  return result.exitCode === 0;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}
