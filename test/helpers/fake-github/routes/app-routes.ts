import { randomBytes } from "node:crypto";
import { HttpError, notFound, ok } from "../http-utils.js";
import { bodyObject, type ApiHandlerContext } from "../route-context.js";
import type { Router } from "../router.js";
import { userJson } from "../serialize-user.js";
import { APP_SLUG, findRepo } from "../state.js";
import type { FakeInstallation, FakePermissionLevel, FakeRepoState, FakeState, FakeToken } from "../types.js";

const PERMISSIONS: Record<string, FakePermissionLevel> = { checks: "write", contents: "write", issues: "write", metadata: "read", pull_requests: "write" };
const EVENTS = ["issues", "issue_comment", "pull_request", "pull_request_review"];

/** What a token may be narrowed to (`POST …/access_tokens`'s `repositories` and `permissions`). */
export interface TokenNarrowing {
  repositories?: string[];
  permissions?: Record<string, FakePermissionLevel>;
}

/** Issues a new installation access token (valid for one hour) and records it in `state.tokens`. */
export function issueInstallationToken(state: FakeState, installationId: number, narrowing: TokenNarrowing = {}): FakeToken {
  const now = Date.now();
  const token: FakeToken = {
    token: `ghs_${randomBytes(18).toString("hex")}`,
    installationId,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    ...(narrowing.repositories ? { repositories: narrowing.repositories } : {}),
    ...(narrowing.permissions ? { permissions: narrowing.permissions } : {}),
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
      const { repos, permissions } = narrowingOf(ctx.state, id, req.body === undefined ? {} : bodyObject(req));
      const token = issueInstallationToken(ctx.state, id, { ...(repos ? { repositories: repos.map((r) => r.name) } : {}), ...(permissions ? { permissions } : {}) });
      return ok({
        token: token.token, expires_at: token.expiresAt, permissions: permissions ?? PERMISSIONS, repository_selection: repos ? "selected" : "all",
        ...(repos ? { repositories: repos.map((r) => ({ id: r.id, name: r.name, full_name: r.fullName })) } : {}),
      }, 201);
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

/** The body's `repositories`/`repository_ids` and `permissions`, checked as GitHub does (422 beyond the installation). */
function narrowingOf(state: FakeState, installationId: number, body: Record<string, unknown>): { repos?: FakeRepoState[]; permissions?: Record<string, FakePermissionLevel> } {
  const installed = [...state.repos.values()].filter((r) => r.installationId === installationId);
  const names = body.repositories;
  const ids = body.repository_ids;
  let repos: FakeRepoState[] | undefined;
  if (names !== undefined || ids !== undefined) {
    const wanted = [
      ...(Array.isArray(names) ? names.map((n) => installed.find((r) => typeof n === "string" && r.name.toLowerCase() === n.toLowerCase())) : []),
      ...(Array.isArray(ids) ? ids.map((id) => installed.find((r) => r.id === id)) : []),
    ];
    if (wanted.length === 0 || wanted.some((r) => r === undefined)) {
      throw new HttpError(422, "There is at least one repository that does not exist or is not accessible to the parent installation.");
    }
    repos = [...new Set(wanted as FakeRepoState[])];
  }
  const asked = body.permissions;
  let permissions: Record<string, FakePermissionLevel> | undefined;
  if (asked !== undefined) {
    if (typeof asked !== "object" || asked === null || Array.isArray(asked)) throw new HttpError(422, "Invalid request.\n\npermissions must be an object.");
    permissions = {};
    for (const [name, level] of Object.entries(asked)) {
      const granted = PERMISSIONS[name];
      if ((level !== "read" && level !== "write") || !granted || (level === "write" && granted !== "write")) {
        throw new HttpError(422, "The permissions requested are not granted to this installation.");
      }
      permissions[name] = level;
    }
  }
  return { ...(repos ? { repos } : {}), ...(permissions ? { permissions } : {}) };
}
