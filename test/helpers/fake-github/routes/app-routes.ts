import { randomBytes } from "node:crypto";
import { notFound, ok } from "../http-utils.js";
import type { ApiHandlerContext } from "../route-context.js";
import type { Router } from "../router.js";
import { userJson } from "../serialize-user.js";
import { APP_SLUG, findRepo } from "../state.js";
import type { FakeInstallation, FakeState, FakeToken } from "../types.js";

const PERMISSIONS = { checks: "write", contents: "write", issues: "write", metadata: "read", pull_requests: "write" };
const EVENTS = ["issues", "issue_comment", "pull_request", "pull_request_review"];

/** Issues a new installation access token (valid for one hour) and records it in `state.tokens`. */
export function issueInstallationToken(state: FakeState, installationId: number): FakeToken {
  const now = Date.now();
  const token: FakeToken = {
    token: `ghs_${randomBytes(18).toString("hex")}`,
    installationId,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  state.tokens.set(token.token, token);
  return token;
}

function installationJson(ctx: ApiHandlerContext, installation: FakeInstallation): Record<string, unknown> {
  return {
    id: installation.id,
    account: userJson(installation.account, ctx.url),
    repository_selection: "all",
    access_tokens_url: `${ctx.apiUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${ctx.apiUrl}/installation/repositories`,
    html_url: `${ctx.url}/settings/installations/${installation.id}`,
    app_id: ctx.state.appId,
    app_slug: APP_SLUG,
    target_id: installation.account.id,
    target_type: installation.account.type === "Bot" ? "User" : installation.account.type,
    permissions: PERMISSIONS,
    events: EVENTS,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    single_file_name: null,
    suspended_at: null,
    suspended_by: null,
  };
}

/** `/app`, `/app/installations…` and `/repos/{o}/{r}/installation` (JWT-authenticated). */
export function registerAppRoutes(router: Router): void {
  router.add(
    "GET",
    "/app",
    (_req, ctx) =>
      ok({
        id: ctx.state.appId,
        slug: APP_SLUG,
        node_id: "MDM6QXBwNDI0Mg==",
        owner: userJson(ctx.state.bot, ctx.url),
        name: APP_SLUG,
        description: "Races AI coding agents on GitHub issues",
        external_url: ctx.url,
        html_url: `${ctx.url}/apps/${APP_SLUG}`,
        created_at: "2024-01-01T00:00:00Z",
        updated_at: "2024-01-01T00:00:00Z",
        permissions: PERMISSIONS,
        events: EVENTS,
        installations_count: ctx.state.installations.size,
      }),
    "app",
  );

  router.add("GET", "/app/installations", (_req, ctx) => ok([...ctx.state.installations.values()].map((i) => installationJson(ctx, i))), "app");

  router.add(
    "GET",
    "/app/installations/:id",
    (req, ctx) => {
      const installation = ctx.state.installations.get(Number(req.params.id));
      if (!installation) throw notFound();
      return ok(installationJson(ctx, installation));
    },
    "app",
  );

  router.add(
    "POST",
    "/app/installations/:id/access_tokens",
    (req, ctx) => {
      const id = Number(req.params.id);
      if (!ctx.state.installations.has(id)) throw notFound();
      const token = issueInstallationToken(ctx.state, id);
      return ok({ token: token.token, expires_at: token.expiresAt, permissions: PERMISSIONS, repository_selection: "all" }, 201);
    },
    "app",
  );

  router.add(
    "GET",
    "/repos/:owner/:repo/installation",
    (req, ctx) => {
      const repo = findRepo(ctx.state, req.params.owner ?? "", req.params.repo ?? "");
      const installation = repo && ctx.state.installations.get(repo.installationId);
      if (!installation) throw notFound();
      return ok(installationJson(ctx, installation));
    },
    "app",
  );
}
