import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { AccessControl, SESSION_COOKIE, TOKEN_COOKIE } from "../../../../src/dashboard/auth/access-control.js";
import type { DashboardConfig } from "../../../../src/dashboard/dashboard-config.js";
import type { DashboardSession, Sessions } from "../../../../src/dashboard/auth/sessions.js";
import { signValue } from "../../../../src/dashboard/auth/signed-value.js";
import { canSee, queueAccess } from "../../../../src/dashboard/auth/viewer.js";

const TOKEN = "operator-token-0123456789";
const SECRET = "s".repeat(40);
const SID = "A".repeat(32);
const CONFIG: DashboardConfig = {
  token: TOKEN,
  oauth: { clientId: "id", clientSecret: "cs", sessionSecret: SECRET, webBase: "https://github.com", apiBase: "https://api.github.com" },
};
const sessions = { get: async (id: string): Promise<DashboardSession | null> => (id === SID ? { login: "alice", repos: ["acme/widgets"] } : null) } as unknown as Sessions;
const request = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

describe("dashboard access", () => {
  const access = new AccessControl(CONFIG, sessions);

  it("accepts the token as a bearer header or as its derived cookie, never a wrong one", async () => {
    expect(await access.viewer(request({ authorization: `Bearer ${TOKEN}` }))).toEqual({ kind: "token" });
    expect(await access.viewer(request({ authorization: `Bearer ${TOKEN}x` }))).toBeNull();
    expect(await access.viewer(request({ authorization: TOKEN }))).toBeNull();
    const cookie = access.tokenCookieValue() ?? "";
    expect(cookie).not.toContain(TOKEN);
    expect(await access.viewer(request({ cookie: `other=1; ${TOKEN_COOKIE}=${cookie}` }))).toEqual({ kind: "token" });
    expect(await access.viewer(request({ cookie: `${TOKEN_COOKIE}=${TOKEN}` }))).toBeNull();
    expect(access.tokenMatches(TOKEN)).toBe(true);
    expect(access.tokenMatches("")).toBe(false);
    expect(await access.viewer(request({}))).toBeNull();
  });

  it("accepts a signed session cookie of a stored session, and nothing forged or expired", async () => {
    const viewer = await access.viewer(request({ cookie: `${SESSION_COOKIE}=${access.sessionCookieValue(SID, "alice")}` }));
    expect(viewer).toMatchObject({ kind: "user", login: "alice" });
    expect(viewer && canSee(viewer, "ACME/Widgets")).toBe(true);
    expect(viewer && canSee(viewer, "acme/secret")).toBe(false);
    const forged = signValue("t".repeat(40), { sid: SID, login: "alice" }, 60_000);
    const expired = signValue(SECRET, { sid: SID, login: "alice" }, -1);
    const unknown = signValue(SECRET, { sid: "B".repeat(32), login: "alice" }, 60_000);
    for (const value of [forged, expired, unknown, "garbage"]) expect(await access.viewer(request({ cookie: `${SESSION_COOKIE}=${value}` }))).toBeNull();
  });

  it("without a token configured, no token or token cookie works", async () => {
    const oauthOnly = new AccessControl({ ...CONFIG, token: null }, sessions);
    expect(oauthOnly.tokenCookieValue()).toBeNull();
    expect(await oauthOnly.viewer(request({ authorization: "Bearer " }))).toBeNull();
    expect(oauthOnly.tokenMatches("anything")).toBe(false);
  });

  it("lets token users and users with a repository into the queue view", () => {
    expect(queueAccess({ kind: "token" })).toBe("full");
    expect(queueAccess({ kind: "user", login: "a", repos: new Set(["acme/widgets"]) })).toBe("read-only");
    expect(queueAccess({ kind: "user", login: "a", repos: new Set() })).toBe("none");
  });
});
