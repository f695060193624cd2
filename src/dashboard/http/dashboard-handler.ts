import type { IncomingMessage, ServerResponse } from "node:http";
import { TOKEN_COOKIE, type AccessControl } from "../auth/access-control.js";
import { cookieHeader } from "../auth/cookies.js";
import type { DashboardPages } from "./dashboard-pages.js";
import { newNonce, publicOrigin, redirect, sendHtml, sendText } from "./http-reply.js";
import type { OAuthRoutes } from "./oauth-routes.js";
import { renderUnauthorizedPage } from "../views/render-layout.js";
import { redactUrl } from "./request-log-redaction.js";
import { queueAccess } from "../auth/viewer.js";

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Where the queue view lives; everything under it goes to the `QueueBoardHandler`. */
export const QUEUES_PATH = "/agent-race/queues";

/**
 * The queue view (bull-board, `queue/queue-board.ts`), served only after the access check: a full
 * board (retry, clean, …) or a read-only one, as the viewer may.
 */
export type QueueBoardHandler = (req: IncomingMessage, res: ServerResponse, access: "full" | "read-only") => void;

const TOKEN_COOKIE_TTL_S = 7 * 24 * 3600;
const RACE_PATH = /^\/agent-race\/races\/([a-z0-9]+)(\/events)?$/;

/**
 * Everything under /agent-race: token bootstrap (`?token=` → HttpOnly cookie, then a redirect that
 * drops it from the URL), GitHub sign-in, the access check, bull-board and the pages.
 */
export function dashboardHandler(deps: { access: AccessControl; oauth: OAuthRoutes | null; pages: DashboardPages; board: QueueBoardHandler }): HttpHandler {
  const { access, oauth, pages, board } = deps;
  const unauthorized = (res: ServerResponse, page: boolean): void => {
    const nonce = newNonce();
    const headers = { "www-authenticate": 'Bearer realm="agent-race dashboard"' };
    if (page) sendHtml(res, 401, renderUnauthorizedPage(nonce, oauth !== null), nonce, headers);
    else sendText(res, 401, "unauthorized", headers);
  };
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    if (path !== "/agent-race" && !path.startsWith("/agent-race/")) return false;
    // Probot's request log reads req.url when the response ends (bull-board keeps its own queries).
    if (!path.startsWith(QUEUES_PATH) || url.searchParams.has("token")) req.url = redactUrl(req.url ?? "/");
    const queryToken = url.searchParams.get("token");
    if (queryToken !== null) {
      url.searchParams.delete("token");
      if (!access.tokenMatches(queryToken)) {
        unauthorized(res, true);
        return true;
      }
      const cookie = cookieHeader(TOKEN_COOKIE, access.tokenCookieValue() ?? "", { maxAgeS: TOKEN_COOKIE_TTL_S, secure: publicOrigin(req).secure });
      redirect(res, `${url.pathname}${url.search}`, { "set-cookie": cookie });
      return true;
    }
    if (path === "/agent-race/login" || path === "/agent-race/callback" || path === "/agent-race/logout") {
      if (!oauth) sendText(res, 404, "GitHub sign-in is not configured.");
      else if (path === "/agent-race/login") oauth.login(req, res);
      else if (path === "/agent-race/callback") await oauth.callback(req, res, url.searchParams);
      else await oauth.logout(req, res);
      return true;
    }
    const viewer = await access.viewer(req);
    const wantsPage = req.method === "GET" && !path.endsWith("/events") && !path.startsWith(`${QUEUES_PATH}/api`);
    if (!viewer) {
      unauthorized(res, wantsPage);
      return true;
    }
    if (path === QUEUES_PATH || path.startsWith(`${QUEUES_PATH}/`)) {
      const level = queueAccess(viewer);
      if (level === "none") sendText(res, 403, "The queue view needs the operator token or a signed-in user with at least one repository.");
      else if (req.method !== "GET" && req.method !== "HEAD" && !sameOrigin(req)) sendText(res, 403, "cross-origin request refused");
      else board(req, res, level);
      return true;
    }
    const race = RACE_PATH.exec(path);
    if (req.method !== "GET" && req.method !== "HEAD") sendText(res, 405, "method not allowed", { allow: "GET, HEAD" });
    else if (path === "/agent-race") await pages.list(res, viewer);
    else if (path === "/agent-race/events") pages.listEvents(req, res, viewer);
    else if (race?.[1] && race[2]) await pages.raceEvents(req, res, viewer, race[1]);
    else if (race?.[1]) await pages.race(res, viewer, race[1]);
    else sendText(res, 404, "Not found.");
    return true;
  };
}

/** A state-changing request must come from the dashboard's own pages (when the browser says where from). */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return !origin || origin === publicOrigin(req).origin;
}
