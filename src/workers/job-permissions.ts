import type { TokenPermissions } from "../github/github-auth.js";

/**
 * What each worker's REST/GraphQL client may do, always on the job's one repository (docs/security.md).
 * Git fetches and pushes get tokens of their own (git-auth-for.ts). Tokens are cached per repository
 * and set, so a repository costs at most one token per set and hour.
 */
export const JOB_PERMISSIONS = {
  /**
   * Commands and events: replies, reactions, labels, the collaborator check, the config file and the
   * base branch; `/pick` restores a branch and opens or readies its PR, a merged PR's siblings are
   * closed and their branches deleted (hence `contents: write`), `/revise` reads review comments.
   */
  trigger: { issues: "write", pull_requests: "write", contents: "write", metadata: "read" },
  /** The status comment. */
  status: { issues: "write", metadata: "read" },
  /** A lane's check run. */
  lane: { checks: "write", metadata: "read" },
  /** The finish: the overlap check, PRs, labels, the comparison comment; a failed or cancelled race's branches are deleted. */
  race: { issues: "write", pull_requests: "write", contents: "write", metadata: "read" },
  /** A waiting race: the PRs it waits for, the base branch, labels, the rebased lanes' check runs (the finish has its own client). */
  wait: { issues: "write", contents: "read", checks: "write", metadata: "read" },
  /** A revision: the PR, its body, the check run, the reply. */
  revision: { issues: "write", pull_requests: "write", checks: "write", metadata: "read" },
  /** The daily sweep: a closed PR's state, then its branch deleted. */
  sweep: { pull_requests: "read", contents: "write", metadata: "read" },
} as const satisfies Record<string, TokenPermissions>;
