import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { readCookies } from "./cookies.js";
import type { DashboardConfig } from "../dashboard-config.js";
import { bearerToken, secretEquals } from "../../auth/secret-compare.js";
import { SESSION_TTL_S, type Sessions } from "./sessions.js";
import { signValue, verifyValue } from "./signed-value.js";
import type { Viewer } from "./viewer.js";

export const TOKEN_COOKIE = "agent_race_token";
export const SESSION_COOKIE = "agent_race_session";

/**
 * Who a dashboard request comes from: `Authorization: Bearer <DASHBOARD_TOKEN>`, the token cookie
 * (an HMAC of the token, never the token itself), or a signed session cookie of a GitHub user.
 */
export class AccessControl {
  constructor(
    readonly config: DashboardConfig,
    private readonly sessions: Sessions | null,
  ) {}

  tokenMatches(given: string | null | undefined): boolean {
    return Boolean(given && this.config.token && secretEquals(given, this.config.token));
  }

  /** What the token cookie holds: derived from the token, so a leaked cookie does not reveal it. */
  tokenCookieValue(): string | null {
    return this.config.token ? createHmac("sha256", this.config.token).update("agent-race dashboard cookie v1").digest("base64url") : null;
  }

  /** The signed session cookie value for a stored session. */
  sessionCookieValue(sessionId: string, login: string): string {
    if (!this.config.oauth) throw new Error("GitHub sign-in is not configured");
    return signValue(this.config.oauth.sessionSecret, { sid: sessionId, login }, SESSION_TTL_S * 1000);
  }

  /** The session id inside a valid session cookie, if any. */
  sessionId(req: IncomingMessage): string | null {
    if (!this.config.oauth) return null;
    const payload = verifyValue(this.config.oauth.sessionSecret, readCookies(req).get(SESSION_COOKIE));
    return typeof payload?.sid === "string" ? payload.sid : null;
  }

  async viewer(req: IncomingMessage): Promise<Viewer | null> {
    if (this.tokenMatches(bearerToken(req))) return { kind: "token" };
    const cookies = readCookies(req);
    const expected = this.tokenCookieValue();
    const tokenCookie = cookies.get(TOKEN_COOKIE);
    if (expected && tokenCookie && secretEquals(tokenCookie, expected)) return { kind: "token" };
    const sid = this.sessionId(req);
    const session = sid && this.sessions ? await this.sessions.get(sid) : null;
    return session ? { kind: "user", login: session.login, repos: new Set(session.repos) } : null;
  }
}
