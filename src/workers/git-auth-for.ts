import { basicAuthHeader } from "../git/auth-header.js";
import type { GitAccess, GitAuth } from "../git/auth-scope.js";
import type { GitHubAuth, TokenPermissions } from "../github/github-auth.js";

const PERMISSIONS: Record<GitAccess, TokenPermissions> = {
  read: { contents: "read" },
  push: { contents: "write" },
};

/**
 * A fresh installation token for git on one repository (read: fetch; push: `contents: write`), as the
 * auth header scoped to the configured GitHub server. Call it once per fetch or push phase.
 */
export async function gitAuthFor(github: GitHubAuth, installationId: number, repo: string, access: GitAccess): Promise<GitAuth> {
  const token = await github.tokenFor(installationId, { repo, permissions: PERMISSIONS[access] });
  return { token, authHeader: basicAuthHeader(token), authScope: github.gitHost };
}
