import { GitError } from "../errors.js";
import { runGit } from "./git.js";

export interface CommitAllOptions {
  dir: string;
  message: string;
  authorName: string;
  authorEmail: string;
  /** Paths never committed, e.g. files copied in from the main checkout such as `.env`. */
  exclude?: readonly string[] | undefined;
}

/**
 * Stages everything in `dir` (`add -A`, honouring .gitignore) and commits it, with hooks and signing off,
 * when anything is staged. Returns HEAD's sha, which may be a commit the agent made itself.
 */
export async function commitAll(options: CommitAllOptions): Promise<string> {
  const { dir, message, authorName, authorEmail } = options;
  const excluded = (options.exclude ?? []).map((path) => `:(exclude,literal)${path}`);
  await runGit(["add", "-A", "--", ".", ...excluded], { cwd: dir });
  const staged = await runGit(["diff", "--cached", "--quiet", "--no-ext-diff"], { cwd: dir, allowFailure: true });
  if (staged.exitCode === 1) {
    await runGit(["commit", "--no-verify", "--quiet", "--no-edit", "-m", message], {
      cwd: dir,
      config: {
        "core.hooksPath": "/dev/null",
        "user.name": authorName,
        "user.email": authorEmail,
        "commit.gpgsign": "false",
      },
      // The environment outranks config for identity: pin it so an inherited GIT_AUTHOR_NAME cannot win.
      env: {
        GIT_AUTHOR_NAME: authorName,
        GIT_AUTHOR_EMAIL: authorEmail,
        GIT_COMMITTER_NAME: authorName,
        GIT_COMMITTER_EMAIL: authorEmail,
      },
    });
  } else if (staged.exitCode !== 0) {
    throw new GitError(["diff", "--cached", "--quiet"], staged.stderr);
  }
  return (await runGit(["rev-parse", "--verify", "HEAD"], { cwd: dir })).stdout.trim();
}
