import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { SESSION_COOKIE, TOKEN_COOKIE, type AccessControl } from "../auth/access-control.js";
import { cookieHeader, readCookies } from "../auth/cookies.js";
import type { OAuthConfig } from "../dashboard-config.js";
import { authorizeUrl, exchangeCode, fetchUserAccess } from "../auth/github-oauth.js";
import { publicOrigin, redirect, sendText } from "./http-reply.js";
import { secretEquals } from "../../auth/secret-compare.js";
import { SESSION_TTL_S, type Sessions } from "../auth/sessions.js";
import { signValue, verifyValue } from "../auth/signed-value.js";

const STATE_COOKIE = "agent_race_oauth";
const STATE_TTL_S = 600;

/** `/agent-race/login`, `/agent-race/callback` and `/agent-race/logout`: GitHub sign-in for the dashboard. */
export class OAuthRoutes {
  constructor(
    private readonly config: OAuthConfig,
    private readonly access: AccessControl,
    private readonly sessions: Sessions,
    private readonly log: Logger,
  ) {}

  /** Redirects to GitHub with a fresh `state`, remembered in a short-lived signed cookie. */
  login(req: IncomingMessage, res: ServerResponse): void {
    const { origin, secure } = publicOrigin(req);
    const state = randomBytes(18).toString("base64url");
    const cookie = cookieHeader(STATE_COOKIE, signValue(this.config.sessionSecret, { state }, STATE_TTL_S * 1000), { maxAgeS: STATE_TTL_S, secure });
    redirect(res, authorizeUrl(this.config, `${origin}/agent-race/callback`, state), { "set-cookie": cookie });
  }

  /** Checks `state`, exchanges the code, reads the user's repositories and starts a session. */
  async callback(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const { origin, secure } = publicOrigin(req);
    const expected = verifyValue(this.config.sessionSecret, readCookies(req).get(STATE_COOKIE))?.state;
    const state = query.get("state");
    const code = query.get("code");
    if (typeof expected !== "string" || !state || !secretEquals(state, expected) || !code) {
      sendText(res, 400, "Sign-in failed: the request did not match (state). Start again at /agent-race/login.");
      return;
    }
    try {
      const token = await exchangeCode(this.config, code, `${origin}/agent-race/callback`);
      const access = await fetchUserAccess(this.config, token);
      const sid = await this.sessions.create(access.login, access.repos);
      this.log.info({ login: access.login, repos: access.repos.length }, "dashboard sign-in");
      redirect(res, "/agent-race", {
        "set-cookie": [
          cookieHeader(SESSION_COOKIE, this.access.sessionCookieValue(sid, access.login), { maxAgeS: SESSION_TTL_S, secure }),
          cookieHeader(STATE_COOKIE, "", { maxAgeS: 0, secure }),
        ],
      });
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "dashboard sign-in failed");
      sendText(res, 502, "Sign-in failed: GitHub did not confirm it. Try again at /agent-race/login.");
    }
  }

  async logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { secure } = publicOrigin(req);
    const sid = this.access.sessionId(req);
    if (sid) await this.sessions.delete(sid);
    redirect(res, "/agent-race", {
      "set-cookie": [cookieHeader(SESSION_COOKIE, "", { maxAgeS: 0, secure }), cookieHeader(TOKEN_COOKIE, "", { maxAgeS: 0, secure })],
    });
  }
}
