/**
 * The few typed errors the edges translate for users: a CLI message with exit code 2,
 * a comment on the issue, or a failed check run. Each keeps its `cause`.
 */
export class AgentRaceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from the person driving agent-race: a usage mistake, a bad ref, a dirty checkout. */
export class UserError extends AgentRaceError {}

/** A config file (repo or operator) that does not match its schema. */
export class ConfigError extends AgentRaceError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}

/** The sender of a trigger may not start or steer a race. */
export class PermissionDeniedError extends AgentRaceError {}

/** A git command failed; `stderr` is kept for the log, never shown verbatim with secrets. */
export class GitError extends AgentRaceError {
  readonly args: readonly string[];
  readonly stderr: string;
  constructor(args: readonly string[], stderr: string, options?: { cause?: unknown }) {
    super(`git ${args[0] ?? ""} failed: ${stderr.trim().split("\n").slice(-3).join(" | ")}`, options);
    this.args = args;
    this.stderr = stderr;
  }
}

/** A push whose `--force-with-lease` failed: the branch moved on the remote since it was last seen. */
export class PushRejectedError extends AgentRaceError {
  readonly branch: string;
  /** What the push expected the remote branch to be (`null`: absent). */
  readonly expectedSha: string | null;
  /** The remote branch after the rejection (`null`: absent, `undefined`: could not be read). */
  readonly remoteSha: string | null | undefined;
  constructor(branch: string, expectedSha: string | null, remoteSha: string | null | undefined, options?: { cause?: unknown }) {
    const found = remoteSha === undefined ? "unknown" : (remoteSha ?? "no branch");
    super(`push of ${branch} rejected: the branch moved on the remote (expected ${expectedSha ?? "no branch"}, found ${found})`, options);
    this.branch = branch;
    this.expectedSha = expectedSha;
    this.remoteSha = remoteSha;
  }
}

/** The race or lane was cancelled (Ctrl-C, SIGTERM, `/cancel`). */
export class CancelledError extends AgentRaceError {}

export function isUserFacingError(error: unknown): error is UserError | ConfigError | PermissionDeniedError {
  return error instanceof UserError || error instanceof ConfigError || error instanceof PermissionDeniedError;
}
