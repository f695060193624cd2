import { resolve } from "node:path";
import { withFileLock } from "./file-lock.js";
import { runGit } from "./git.js";

export interface FetchPullHeadsOptions {
  signal?: AbortSignal;
  /** The GitHub server the auth header may go to (`authScope`); required with an auth header. */
  authScope?: string;
}

/** Packs only, as in `ensureMirror`: its lock-free check must never see a loose commit whose tree is still coming. */
const FETCH_CONFIG = { "core.hooksPath": "/dev/null", "fetch.unpackLimit": "1" } as const;

/**
 * Fetches `refs/pull/<n>/head` from the mirror's `origin` into the same ref in the mirror, for each pull request
 * number that exists on the remote (the others are skipped), under the mirror's lock (see `ensureMirror`).
 * Returns number → head sha for the fetched ones.
 */
export async function fetchPullHeads(
  mirrorDir: string,
  numbers: readonly number[],
  authHeader?: string,
  options: FetchPullHeadsOptions = {},
): Promise<Map<number, string>> {
  for (const n of numbers) if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`invalid pull request number ${n}`);
  const wanted = [...new Set(numbers)].map((n) => `refs/pull/${n}/head`);
  if (wanted.length === 0) return new Map();
  const { signal, authScope } = options;
  return withFileLock(`${resolve(mirrorDir)}.lock`, () => fetchLocked(mirrorDir, wanted, authHeader, authScope, signal), signal ? { signal } : {});
}

async function fetchLocked(
  mirrorDir: string,
  wanted: readonly string[],
  authHeader: string | undefined,
  authScope: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Map<number, string>> {
  const heads = new Map<number, string>();
  const common = { cwd: mirrorDir, authHeader, authScope, signal, config: FETCH_CONFIG };
  const listed = await runGit(["ls-remote", "--end-of-options", "origin", ...wanted], common);
  const present = new Set(parseRefs(listed.stdout).keys());
  const refs = wanted.filter((ref) => present.has(ref));
  if (refs.length === 0) return heads;
  const refspecs = refs.map((ref) => `+${ref}:${ref}`);
  const fetched = await runGit(["fetch", "--no-prune", "--no-tags", "--quiet", "--end-of-options", "origin", ...refspecs], {
    ...common,
    allowFailure: true,
  });
  if (fetched.exitCode !== 0) {
    // A pull ref vanished between the listing and the fetch: fetch the rest one by one.
    for (const refspec of refspecs) {
      await runGit(["fetch", "--no-prune", "--no-tags", "--quiet", "--end-of-options", "origin", refspec], { ...common, allowFailure: true });
    }
  }
  const local = await runGit(["for-each-ref", "--format=%(objectname) %(refname)", "--", ...refs], { cwd: mirrorDir, signal });
  for (const [ref, sha] of parseRefs(local.stdout, " ")) {
    const n = Number(/^refs\/pull\/(\d+)\/head$/.exec(ref)?.[1]);
    if (refs.includes(ref) && Number.isSafeInteger(n)) heads.set(n, sha);
  }
  return heads;
}

/** `<sha><sep><ref>` lines → ref → sha. */
function parseRefs(text: string, separator = "\t"): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of text.split("\n")) {
    const at = line.indexOf(separator);
    if (at > 0) refs.set(line.slice(at + 1).trim(), line.slice(0, at).trim());
  }
  return refs;
}
