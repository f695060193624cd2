import { notFound, ok } from "../http-utils.js";
import { requireRepo } from "../route-context.js";
import type { Router } from "../router.js";
import { repoJson } from "../serialize-repo.js";
import { userJson } from "../serialize-user.js";
import type { Permission } from "../types.js";

/** Legacy `permission` values: maintain → write, triage → read (role_name keeps the real role). */
const LEGACY: Record<Permission, string> = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read", none: "none" };

/** `GET /repos/{o}/{r}` and collaborator permissions. */
export function registerRepoRoutes(router: Router): void {
  router.add("GET", "/repos/:owner/:repo", (req, ctx) => ok(repoJson(ctx.state, requireRepo(req, ctx), ctx.url)));

  router.add("GET", "/repos/:owner/:repo/collaborators/:username/permission", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const login = req.params.username ?? "";
    const user = ctx.state.users.get(login.toLowerCase());
    if (!user) throw notFound(`${login} is not a user`);
    const role: Permission = repo.permissions.get(login.toLowerCase()) ?? "none";
    const legacy = LEGACY[role];
    return ok({
      permission: legacy,
      role_name: role,
      user: {
        ...userJson(user, ctx.url),
        permissions: {
          admin: role === "admin",
          maintain: role === "admin" || role === "maintain",
          push: legacy === "admin" || legacy === "write",
          triage: role !== "read" && role !== "none",
          pull: role !== "none",
        },
        role_name: role,
      },
    });
  });
}
