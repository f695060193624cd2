import { z } from "zod";
import type { OAuthConfig } from "../dashboard-config.js";

const tokenResponse = z.object({ access_token: z.string().min(1) });
const userResponse = z.object({ login: z.string().min(1) });
const reposResponse = z.array(z.object({ full_name: z.string().min(1) }));
const MAX_REPO_PAGES = 20;

/** GitHub's authorize URL for the dashboard's sign-in. */
export function authorizeUrl(config: OAuthConfig, redirectUri: string, state: string): string {
  const url = new URL("/login/oauth/authorize", config.webBase);
  url.search = new URLSearchParams({ client_id: config.clientId, redirect_uri: redirectUri, state, allow_signup: "false" }).toString();
  return url.toString();
}

/** Exchanges the callback's code for a user token. */
export async function exchangeCode(config: OAuthConfig, code: string, redirectUri: string): Promise<string> {
  const response = await fetch(new URL("/login/oauth/access_token", config.webBase), {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ client_id: config.clientId, client_secret: config.clientSecret, code, redirect_uri: redirectUri }),
    signal: AbortSignal.timeout(10_000),
  });
  const parsed = tokenResponse.safeParse(await response.json().catch(() => null));
  if (!response.ok || !parsed.success) throw new Error(`GitHub did not issue a token (HTTP ${response.status})`);
  return parsed.data.access_token;
}

/** The user's login and the full names of the repositories their token can access (`GET /user/repos`). */
export async function fetchUserAccess(config: OAuthConfig, token: string): Promise<{ login: string; repos: string[] }> {
  const user = userResponse.parse(await getJson(config, token, "/user"));
  const repos: string[] = [];
  for (let page = 1; page <= MAX_REPO_PAGES; page++) {
    const batch = reposResponse.parse(await getJson(config, token, `/user/repos?per_page=100&page=${page}`));
    repos.push(...batch.map((r) => r.full_name));
    if (batch.length < 100) break;
  }
  return { login: user.login, repos };
}

async function getJson(config: OAuthConfig, token: string, path: string): Promise<unknown> {
  const response = await fetch(`${config.apiBase.replace(/\/$/, "")}${path}`, {
    headers: { accept: "application/vnd.github+json", authorization: `Bearer ${token}`, "user-agent": "agent-race-dashboard" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`GitHub GET ${path.split("?")[0]} answered HTTP ${response.status}`);
  return response.json();
}
