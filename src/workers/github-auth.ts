import type { Probot } from "probot";
import type { GitHubClient } from "../github/github-client.js";

/** How workers reach GitHub: an installation's client, and a fresh installation token for git. */
export interface GitHubAuth {
  octokitFor(installationId: number): Promise<GitHubClient>;
  tokenFor(installationId: number): Promise<string>;
  appSlug(): Promise<string>;
}

export function probotGitHubAuth(probot: Probot): GitHubAuth {
  let slug: Promise<string> | undefined;
  return {
    octokitFor: async (installationId) => (await probot.auth(installationId)) as GitHubClient,
    tokenFor: async (installationId) => {
      const octokit = await probot.auth(installationId);
      const auth = (await octokit.auth({ type: "installation" })) as { token: string };
      return auth.token;
    },
    appSlug: () => {
      slug ??= probot.auth().then(async (app) => (await app.rest.apps.getAuthenticated()).data?.slug ?? "agent-race");
      return slug;
    },
  };
}
