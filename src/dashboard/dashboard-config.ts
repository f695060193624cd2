import type { Env } from "../config/env.js";
import { ConfigError } from "../errors.js";

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  sessionSecret: string;
  /** `https://github.com` or `<GHE_PROTOCOL>://<GHE_HOST>`: where /login/oauth/* lives. */
  webBase: string;
  /** The REST API base (`https://api.github.com` or `…/api/v3`). */
  apiBase: string;
}

export interface DashboardConfig {
  token: string | null;
  oauth: OAuthConfig | null;
}

/** The dashboard's access modes from the environment; null (dashboard off) when neither is set. */
export function dashboardConfig(env: Env): DashboardConfig | null {
  const token = env.DASHBOARD_TOKEN ?? null;
  const anyOAuth = env.GITHUB_CLIENT_ID ?? env.GITHUB_CLIENT_SECRET;
  if (anyOAuth && (!env.GITHUB_CLIENT_ID || !env.GITHUB_CLIENT_SECRET || !env.SESSION_SECRET)) {
    throw new ConfigError("environment", "GitHub sign-in for the dashboard needs GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and SESSION_SECRET together");
  }
  const oauth = env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET && env.SESSION_SECRET
    ? {
      clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET, sessionSecret: env.SESSION_SECRET,
      webBase: env.GHE_HOST ? `${env.GHE_PROTOCOL}://${env.GHE_HOST}` : "https://github.com", apiBase: env.baseUrl,
    }
    : null;
  return token || oauth ? { token, oauth } : null;
}
