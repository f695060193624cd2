import type { GitHubClient } from "./github-client.js";
import { httpStatus } from "./http-status.js";

type Request = GitHubClient["request"];

/** An installation token as `@octokit/auth-app` returns it. */
export interface MintedToken {
  token: string;
  createdAt?: string | undefined;
  expiresAt?: string | undefined;
}

export interface NarrowedAuthOptions {
  /** A token narrowed to one repository and a permission set, fresh enough for one request (cached by the caller). */
  mint: () => Promise<MintedToken>;
}

/** GitHub may answer 401 for a token minted a moment ago (replication delay): retried like `@octokit/auth-app` does. */
const YOUNG_TOKEN_MS = 5000;
const MAX_RETRIES = 3;

/**
 * An Octokit `authStrategy` whose every request carries a token from `mint`, in place of the
 * installation-wide token Probot's installation clients send. `octokit.auth()` returns that token too.
 */
export function createNarrowedAuth(options: NarrowedAuthOptions) {
  const auth = async (): Promise<{ type: "token"; tokenType: "installation"; token: string }> => ({ type: "token", tokenType: "installation", token: (await options.mint()).token });
  const hook = async (request: Request, route: Parameters<Request>[0], parameters?: Parameters<Request>[1]): Promise<Awaited<ReturnType<Request>>> => {
    const endpoint = request.endpoint.merge(route as string, parameters);
    for (let retries = 0; ; retries++) {
      const { token, createdAt } = await options.mint();
      endpoint.headers.authorization = `token ${token}`;
      try {
        return await request(endpoint as typeof endpoint & { url: string });
      } catch (error) {
        const young = createdAt !== undefined && Date.now() - Date.parse(createdAt) < YOUNG_TOKEN_MS;
        if (httpStatus(error) !== 401 || !young || retries >= MAX_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, (retries + 1) * 1000));
      }
    }
  };
  return Object.assign(auth, { hook });
}
