import { stat, rename, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { CancelledError } from "../errors.js";
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
  /** The GitHub server the header may go to (`authScope`); required with `authHeader`. */
  authScope?: string;
  /** Commits that must be present after the fetch (e.g. a race's base sha). */
  wantShas?: readonly string[];
  /**
   * `always` (default) fetches on every call. `if-missing` skips the fetch when the mirror already has every
   * wanted commit (and there is at least one), so the lanes of a race fetch once between them.
   */
  fetch?: "always" | "if-missing";
  signal?: AbortSignal;
}

const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;
const HEX = /^[0-9a-f]{4,64}$/i;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
/**
 * Fetched objects always arrive as one pack, which git makes visible all at once (its index is renamed into
 * place last): below the default limit of 100 they would be written loose one by one, commit first, and a
 * lock-free `if-missing` check could see a commit before its tree.
 */
const FETCH_CONFIG = { "core.hooksPath": "/dev/null", "fetch.unpackLimit": "1" } as const;
/** Per mirror, this process's latest call that holds or waits for the lock. */
const lockedCalls = new Map<string, Promise<unknown>>();

/**
 * Creates (once) and fetches the bare mirror of `<owner>/<repo>` under `cacheDir`, holding a file lock so
 * concurrent races on one machine take turns. Remote branches land in `refs/remotes/origin/*` (pruned); the
 * mirror's own `refs/heads/*` (lane branches) are never touched by the fetch. Returns the mirror's path.
 * With `fetch: "if-missing"` the wanted commits are looked up first without the lock (reading is safe while a
 * fetch writes). When they are missing and a call of this process is already at the lock (a sibling lane
 * fetching the same base), it waits for that call and looks again, so the lanes of a race do not file
 * through the lock one by one; it looks once more with the lock held, for other processes' fetches.
 */
export async function ensureMirror(input: EnsureMirrorInput): Promise<string> {
  const { owner, repo, cloneUrl, authHeader, authScope, signal } = input;
  for (const name of [owner, repo]) {
    if (!SAFE_NAME.test(name) || name === "." || name === "..") throw new Error(`invalid repository name ${JSON.stringify(name)}`);
  }
  if (hasCredentials(cloneUrl)) throw new Error(`clone URL for ${owner}/${repo} must not contain credentials; pass authHeader`);
  if (cloneUrl.startsWith("-")) throw new Error(`invalid clone URL for ${owner}/${repo}`);
  const wantShas = [...new Set(input.wantShas ?? [])];
  for (const sha of wantShas) if (!HEX.test(sha)) throw new Error(`invalid commit sha ${JSON.stringify(sha)}`);
  const mirror = join(resolve(input.cacheDir), owner, `${repo}.git`);
  const skippable = input.fetch === "if-missing" && wantShas.length > 0;
  if (skippable) {
    if (await hasAllCommits(mirror, wantShas, signal)) return mirror;
    const running = lockedCalls.get(mirror);
    if (running) {
      await settled(running, signal);
      if (await hasAllCommits(mirror, wantShas, signal)) return mirror;
    }
  }
  const call = withFileLock(
    `${mirror}.lock`,
    async () => {
      if (!(await exists(join(mirror, "HEAD")))) await createMirror(mirror, cloneUrl, signal);
      else if (skippable && (await hasAllCommits(mirror, wantShas, signal))) return mirror;
      else await updateUrl(mirror, cloneUrl, signal);
      await retryOnLock(() => runGit(["fetch", "--prune", "--no-tags", "--quiet", "origin"], { cwd: mirror, authHeader, authScope, signal, config: FETCH_CONFIG }));
      for (const sha of wantShas) {
        if (await hasCommit(mirror, sha, signal)) continue;
        if (FULL_SHA.test(sha)) {
          const args = ["fetch", "--no-prune", "--no-tags", "--quiet", "--end-of-options", "origin", sha];
          await runGit(args, { cwd: mirror, authHeader, authScope, signal, config: FETCH_CONFIG, allowFailure: true });
          if (await hasCommit(mirror, sha, signal)) continue;
        }
        throw new Error(`base commit ${sha} not found in ${owner}/${repo}`);
      }
      return mirror;
    },
    signal ? { signal } : {},
  );
  lockedCalls.set(mirror, call);
  try {
    return await call;
  } finally {
    if (lockedCalls.get(mirror) === call) lockedCalls.delete(mirror);
  }
}

/** Waits until `call` has settled, either way, unless `signal` aborts first. */
async function settled(call: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CancelledError("cancelled while waiting for the mirror"));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([call.then(() => undefined, () => undefined), aborted]);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
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

/** One `cat-file --batch-check` for all of them: a lane's whole check is one process. */
async function hasAllCommits(mirror: string, shas: readonly string[], signal: AbortSignal | undefined): Promise<boolean> {
  if (!(await exists(join(mirror, "HEAD")))) return false;
  const input = shas.map((sha) => `${sha}^{commit}\n`).join("");
  const result = await runGit(["cat-file", "--batch-check=%(objecttype)"], { cwd: mirror, signal, input, allowFailure: true });
  const types = result.stdout.split("\n").filter(Boolean);
  return result.exitCode === 0 && types.length === shas.length && types.every((type) => type === "commit");
}

async function hasCommit(mirror: string, sha: string, signal: AbortSignal | undefined): Promise<boolean> {
  const result = await runGit(["cat-file", "-e", `${sha}^{commit}`], { cwd: mirror, signal, allowFailure: true });
  return result.exitCode === 0;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}
