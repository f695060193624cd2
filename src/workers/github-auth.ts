import type { Probot } from "probot";
import type { GitHubClient } from "../github/github-client.js";

/** Installation-token permissions, as `POST /app/installations/{id}/access_tokens` takes them. */
export type TokenPermissions = Partial<Record<"contents" | "checks" | "pull_requests" | "issues" | "metadata", "read" | "write">>;

/** What one token is for: one repository of the installation, and only the permissions the step needs. */
export interface TokenScope {
  /** The repository's name (not `owner/name`): the token reaches no other repository. */
  repo: string;
  permissions: TokenPermissions;
}

/** How workers reach GitHub: an installation's client, and a narrowed, fresh installation token for git. */
export interface GitHubAuth {
  octokitFor(installationId: number): Promise<GitHubClient>;
  /** A token for one repository and the given permissions, valid for at least `FRESH_FOR_MS` more. */
  tokenFor(installationId: number, scope: TokenScope): Promise<string>;
  /** The configured GitHub server's root, `https://github.com/` or GHE's (`authScope` form): git's auth header goes nowhere else. */
  gitHost: string;
  appSlug(): Promise<string>;
}

/** A cached token with less left than this is replaced: long enough for any one fetch or push. */
export const FRESH_FOR_MS = 30 * 60 * 1000;

interface InstallationToken {
  token: string;
  expiresAt?: string;
}

export function probotGitHubAuth(probot: Probot, gitHost: string): GitHubAuth {
  let slug: Promise<string> | undefined;
  return {
    gitHost,
    octokitFor: async (installationId) => (await probot.auth(installationId)) as GitHubClient,
    tokenFor: async (installationId, scope) => {
      if (!/^[A-Za-z0-9_.-]+$/.test(scope.repo)) throw new Error(`invalid repository name ${JSON.stringify(scope.repo)}`);
      const octokit = await probot.auth(installationId);
      // Octokit's auth-app sends these as `repositories` and `permissions`, and caches per scope.
      const options = { type: "installation", repositoryNames: [scope.repo], permissions: scope.permissions };
      let auth = (await octokit.auth(options)) as InstallationToken;
      const left = auth.expiresAt ? Date.parse(auth.expiresAt) - Date.now() : 0;
      if (!(left >= FRESH_FOR_MS)) auth = (await octokit.auth({ ...options, refresh: true })) as InstallationToken;
      return auth.token;
    },
    appSlug: () => {
      slug ??= probot.auth().then(async (app) => (await app.rest.apps.getAuthenticated()).data?.slug ?? "agent-race");
      return slug;
    },
  };
}
