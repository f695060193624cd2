import { describe, expect, it } from "vitest";
import { loadEnv } from "../../../src/config/env.js";
import { dashboardConfig } from "../../../src/dashboard/dashboard-config.js";
import { authorizeUrl } from "../../../src/dashboard/auth/github-oauth.js";
import { ConfigError } from "../../../src/errors.js";

const OAUTH = { GITHUB_CLIENT_ID: "Iv1.abc", GITHUB_CLIENT_SECRET: "shh", SESSION_SECRET: "s".repeat(32) };

describe("dashboard config", () => {
  it("is off without a token or GitHub sign-in", () => {
    expect(dashboardConfig(loadEnv({}))).toBeNull();
  });

  it("takes the token alone, and rejects short ones", () => {
    expect(dashboardConfig(loadEnv({ DASHBOARD_TOKEN: "t".repeat(16) }))).toEqual({ token: "t".repeat(16), oauth: null });
    expect(() => loadEnv({ DASHBOARD_TOKEN: "short" })).toThrow(ConfigError);
  });

  it("needs client id, secret and session secret together", () => {
    expect(() => dashboardConfig(loadEnv({ GITHUB_CLIENT_ID: "Iv1.abc", GITHUB_CLIENT_SECRET: "shh" }))).toThrow(/SESSION_SECRET/);
    expect(() => dashboardConfig(loadEnv({ GITHUB_CLIENT_ID: "Iv1.abc" }))).toThrow(ConfigError);
    expect(() => loadEnv({ ...OAUTH, SESSION_SECRET: "too-short" })).toThrow(ConfigError);
  });

  it("points sign-in at github.com, or at the GHE host's web base", () => {
    const cloud = dashboardConfig(loadEnv(OAUTH))?.oauth;
    expect(cloud).toMatchObject({ webBase: "https://github.com", apiBase: "https://api.github.com" });
    const ghe = dashboardConfig(loadEnv({ ...OAUTH, GHE_HOST: "git.example.com" }))?.oauth;
    expect(ghe).toMatchObject({ webBase: "https://git.example.com", apiBase: "https://git.example.com/api/v3" });
    const url = new URL(authorizeUrl(ghe!, "https://race.example.com/agent-race/callback", "st4te"));
    expect(`${url.origin}${url.pathname}`).toBe("https://git.example.com/login/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: "Iv1.abc", redirect_uri: "https://race.example.com/agent-race/callback", state: "st4te" });
  });
});
