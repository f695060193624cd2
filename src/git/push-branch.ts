import { GitError, PushRejectedError } from "../errors.js";
import { runGit, type RunGitOptions } from "./git.js";
import { hasCredentials } from "./has-credentials.js";

export interface PushBranchInput {
  /** A repository (bare mirror or worktree) that has `refs/heads/<branch>`. */
  repoDir: string;
  /** The remote's URL, without credentials. */
  remoteUrl: string;
  branch: string;
  /** `http.extraHeader` line (see `basicAuthHeader`); only ever passed through the environment. */
  authHeader?: string;
  /** The GitHub server the header may go to (`authScope`); required with `authHeader`. */
  authScope?: string;
  /**
   * The remote branch's sha this push may replace: `null` = the branch must not exist yet; `undefined` = whatever
   * the remote has (pushed as a new branch first, looked up with `git ls-remote` only when that is refused).
   */
  expectedRemoteSha?: string | null;
  signal?: AbortSignal;
}

export interface PushBranchResult {
  /** The sha now on the remote branch. */
  sha: string;
  /** The remote branch's sha before the push (`null`: it did not exist). */
  previous: string | null;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * Pushes local `refs/heads/<branch>` to the same branch on `remoteUrl` with `--force-with-lease` on the expected
 * remote sha, hooks off. Throws `PushRejectedError` when the branch moved on the remote in the meantime.
 */
export async function pushBranch(input: PushBranchInput): Promise<PushBranchResult> {
  const { repoDir, remoteUrl, branch, authHeader, authScope, signal } = input;
  const ref = `refs/heads/${branch}`;
  await assertSafeInput(repoDir, ref, remoteUrl, input.expectedRemoteSha);
  const git: RunGitOptions = { cwd: repoDir, signal, authHeader, authScope, config: { "core.hooksPath": "/dev/null" } };
  const local = await runGit(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { ...git, allowFailure: true });
  const sha = local.stdout.trim();
  if (local.exitCode !== 0 || !sha) throw new Error(`branch ${branch} does not exist in ${repoDir}`);
  if (input.expectedRemoteSha !== undefined) return pushLeased(input.expectedRemoteSha, sha, input, git);
  // Most branches pushed without a lease are new (a lane's): saves the look-up round trip for them.
  try {
    return await pushLeased(null, sha, input, git);
  } catch (error) {
    if (!(error instanceof PushRejectedError)) throw error;
    return pushLeased(error.remoteSha !== undefined ? error.remoteSha : await remoteHead(remoteUrl, ref, git), sha, input, git);
  }
}

/** One `git push --force-with-lease` of the branch, expecting `previous` on the remote. */
async function pushLeased(previous: string | null, sha: string, input: PushBranchInput, git: RunGitOptions): Promise<PushBranchResult> {
  const { remoteUrl, branch } = input;
  const ref = `refs/heads/${branch}`;
  const args = ["push", "--porcelain", "--no-verify", `--force-with-lease=${ref}:${previous ?? ""}`, "--end-of-options", remoteUrl, `${ref}:${ref}`];
  const result = await runGit(args, { ...git, allowFailure: true });
  const line = result.stdout.split("\n").find((l) => l.split("\t")[1] === `${ref}:${ref}`);
  const [flag = "", , summary = ""] = line?.split("\t") ?? [];
  if (result.exitCode === 0 && line && flag !== "!") return { sha, previous };
  if (flag === "!" && /stale info|fetch first|non-fast-forward/.test(summary)) {
    const observed = await remoteHead(remoteUrl, ref, git).catch(() => undefined);
    throw new PushRejectedError(branch, previous, observed, { cause: new GitError(args, `${summary}\n${result.stderr}`) });
  }
  const reason = line ? `${summary}\n${result.stderr}` : result.stderr || `exit code ${result.exitCode}`;
  throw new GitError(args, isAuthFailure(result.stderr) ? `${reason}\nauthentication to ${remoteUrl} failed: check the token` : reason);
}

/** The sha of `ref` on the remote, or null when it does not exist. */
async function remoteHead(remoteUrl: string, ref: string, git: RunGitOptions): Promise<string | null> {
  const result = await runGit(["ls-remote", "--heads", "--end-of-options", remoteUrl, ref], git).catch((error: unknown) => {
    if (error instanceof GitError && isAuthFailure(error.stderr)) {
      throw new GitError(error.args, `${error.stderr}\nauthentication to ${remoteUrl} failed: check the token`, { cause: error });
    }
    throw error;
  });
  const match = result.stdout.split("\n").find((line) => line.split("\t")[1]?.trim() === ref);
  return match?.split("\t")[0]?.trim() ?? null;
}

async function assertSafeInput(repoDir: string, ref: string, remoteUrl: string, expected: string | null | undefined): Promise<void> {
  const valid = await runGit(["check-ref-format", ref], { cwd: repoDir, allowFailure: true });
  if (valid.exitCode !== 0 || ref.includes("/-")) throw new Error(`invalid branch name ${JSON.stringify(ref.slice(11))}`);
  if (remoteUrl.startsWith("-") || hasCredentials(remoteUrl)) throw new Error("remote URL must not contain credentials or start with '-'");
  if (typeof expected === "string" && !SHA.test(expected)) throw new Error(`invalid expected remote sha ${JSON.stringify(expected)}`);
}

function isAuthFailure(stderr: string): boolean {
  return /authentication failed|could not read (username|password)|terminal prompts disabled|\b40[13]\b/i.test(stderr);
}
