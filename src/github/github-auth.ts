import type { Probot, ProbotOctokit } from "probot";
import type { GitHubClient } from "./client/github-client.js";
import { OctokitRepoClient } from "./octokit-repo-client.js";
import type { RepoClient } from "./repo-client.js";
import { createNarrowedAuth, type MintedToken } from "./client/narrowed-auth.js";

/** Installation-token permissions, as `POST /app/installations/{id}/access_tokens` takes them. */
export type TokenPermissions = Partial<Record<"contents" | "checks" | "pull_requests" | "issues" | "metadata", "read" | "write">>;

/** What one token is for: one repository of the installation, and only the permissions the step needs. */
export interface TokenScope {
  /** The repository's name (not `owner/name`): the token reaches no other repository. */
  repo: string;
  permissions: TokenPermissions;
}

/** How workers reach GitHub: a narrowed client for one repository, and a narrowed, fresh installation token for git. */
export interface GitHubAuth {
  /** A client for one repository of the installation: every request carries a token narrowed to it and `permissions`. */
  clientFor(installationId: number, repo: { owner: string; name: string }, permissions: TokenPermissions): Promise<RepoClient>;
  /** A token for one repository and the given permissions, valid for at least `FRESH_FOR_MS` more. */
  tokenFor(installationId: number, scope: TokenScope): Promise<string>;
  /** The configured GitHub server's root, `https://github.com/` or GHE's (`authScope` form): git's auth header goes nowhere else. */
  gitHost: string;
  appSlug(): Promise<string>;
}

/** A cached token with less left than this is replaced: long enough for any one fetch or push. */
export const FRESH_FOR_MS = 30 * 60 * 1000;
/** The same for one REST or GraphQL request (a client is asked for a token on every request). */
export const REST_FRESH_FOR_MS = 5 * 60 * 1000;

type OctokitOptions = Record<string, unknown> & { throttle?: { enabled?: boolean } };

/** The Probot-backed GitHubAuth; `octokitFor` (the narrowed Octokit itself) stays inside `github/`. */
export interface ProbotGitHubAuth extends GitHubAuth {
  octokitFor(installationId: number, scope: TokenScope): Promise<GitHubClient>;
}

export function probotGitHubAuth(probot: Probot, gitHost: string): ProbotGitHubAuth {
  let slug: Promise<string> | undefined;
  const octokitFor = async (installationId: number, scope: TokenScope): Promise<GitHubClient> => {
    checkRepoName(scope.repo);
    const installation = await probot.auth(installationId);
    const mint = () => narrowedToken(installation, scope, REST_FRESH_FOR_MS);
    // Probot's own installation client (the same class, plugins and options) with the narrowed auth
    // in place of the installation-wide one: the factory is how Probot builds it (getAuthenticatedOctokit).
    const app = await probot.auth();
    return (await app.auth({
      type: "installation",
      installationId,
      factory: ({ octokit, octokitOptions }: { octokit: GitHubClient; octokitOptions: OctokitOptions }) => {
        const Octokit = octokit.constructor as typeof ProbotOctokit;
        return new Octokit({
          ...octokitOptions,
          throttle: octokitOptions.throttle?.enabled ? { ...octokitOptions.throttle, id: String(installationId) } : { enabled: false },
          authStrategy: createNarrowedAuth,
          auth: { mint },
        });
      },
    })) as GitHubClient;
  };
  return {
    gitHost,
    octokitFor,
    clientFor: async (installationId, repo, permissions) => new OctokitRepoClient(await octokitFor(installationId, { repo: repo.name, permissions }), repo.owner, repo.name),
    tokenFor: async (installationId, scope) => {
      checkRepoName(scope.repo);
      return (await narrowedToken(await probot.auth(installationId), scope, FRESH_FOR_MS)).token;
    },
    appSlug: () => {
      slug ??= probot.auth().then(async (app) => (await app.rest.apps.getAuthenticated()).data?.slug ?? "agent-race");
      return slug;
    },
  };
}

function checkRepoName(repo: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(repo)) throw new Error(`invalid repository name ${JSON.stringify(repo)}`);
}

/** A token for `scope` from the installation client's cache (one per installation, repository and permission set), or a new one when under `freshForMs` remain. */
async function narrowedToken(installation: GitHubClient, scope: TokenScope, freshForMs: number): Promise<MintedToken> {
  // Octokit's auth-app sends these as `repositories` and `permissions`, and caches per scope.
  const options = { type: "installation", repositoryNames: [scope.repo], permissions: scope.permissions };
  const auth = (await installation.auth(options)) as MintedToken;
  const left = auth.expiresAt ? Date.parse(auth.expiresAt) - Date.now() : 0;
  return left >= freshForMs ? auth : ((await installation.auth({ ...options, refresh: true })) as MintedToken);
}
