import { deleteBranch, git, resolveCommit } from "../git-ops.js";
import { HttpError, noContent, notFound, ok } from "../http-utils.js";
import { requireRepo, type ApiHandlerContext } from "../route-context.js";
import type { Router } from "../router.js";
import type { FakeRepoState } from "../types.js";

async function refJson(ctx: ApiHandlerContext, repo: FakeRepoState, ref: string): Promise<Record<string, unknown> | null> {
  const sha = await resolveCommit(repo.bareDir, `refs/${ref}`);
  if (!sha) return null;
  const api = `${ctx.apiUrl}/repos/${repo.fullName}/git`;
  return {
    ref: `refs/${ref}`,
    node_id: Buffer.from(`03:Ref${repo.id}:${ref}`).toString("base64"),
    url: `${api}/refs/${ref}`,
    object: { sha, type: "commit", url: `${api}/commits/${sha}` },
  };
}

/** Git refs (`ref` may arrive as `heads/x/y` or URL-encoded `heads%2Fx%2Fy`) and branches. */
export function registerGitRefRoutes(router: Router): void {
  router.add("GET", "/repos/:owner/:repo/git/ref/*ref", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const json = await refJson(ctx, repo, req.params.ref ?? "");
    if (!json) throw notFound();
    return ok(json);
  });

  router.add("POST", "/repos/:owner/:repo/git/refs", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const body = (req.body ?? {}) as { ref?: unknown; sha?: unknown };
    const ref = typeof body.ref === "string" ? body.ref : "";
    const sha = typeof body.sha === "string" ? body.sha : "";
    if (!/^refs\/heads\/./.test(ref) || !/^[0-9a-f]{40}$/.test(sha)) throw new HttpError(422, "Reference update failed");
    if (await refJson(ctx, repo, ref.slice("refs/".length))) throw new HttpError(422, "Reference already exists");
    if (!(await resolveCommit(repo.bareDir, sha))) throw new HttpError(422, "Object does not exist");
    await git(repo.bareDir, ["update-ref", ref, sha]);
    return ok(await refJson(ctx, repo, ref.slice("refs/".length)), 201);
  });

  router.add("DELETE", "/repos/:owner/:repo/git/refs/*ref", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const ref = req.params.ref ?? "";
    const branch = ref.startsWith("heads/") ? ref.slice("heads/".length) : null;
    if (!branch || !(await refJson(ctx, repo, ref))) throw new HttpError(422, "Reference does not exist");
    if (branch === repo.defaultBranch) throw new HttpError(422, "Cannot delete the default branch");
    await deleteBranch(repo.bareDir, branch);
    return noContent();
  });

  router.add("GET", "/repos/:owner/:repo/branches/*branch", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const name = req.params.branch ?? "";
    const sha = await resolveCommit(repo.bareDir, `refs/heads/${name}`);
    if (!sha) throw notFound("Branch not found");
    const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
    return ok({
      name,
      commit: { sha, url: `${api}/commits/${sha}` },
      _links: { self: `${api}/branches/${name}`, html: `${ctx.url}/${repo.fullName}/tree/${name}` },
      protected: false,
      protection_url: `${api}/branches/${name}/protection`,
    });
  });
}
