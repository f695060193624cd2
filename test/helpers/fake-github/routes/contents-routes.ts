import { basename } from "node:path";
import { listTree, objectAt, readBlob, resolveCommit } from "../git-ops.js";
import { notFound, ok } from "../http-utils.js";
import { requireRepo } from "../route-context.js";
import type { Router } from "../router.js";

/** `GET /repos/{o}/{r}/contents/{path}?ref=` read from the bare repo; raw or JSON (base64). */
export function registerContentsRoutes(router: Router): void {
  const handler: Parameters<Router["add"]>[2] = async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const path = (req.params.path ?? "").replace(/^\/+|\/+$/g, "");
    const ref = req.query.get("ref") ?? repo.defaultBranch;
    const commit = await resolveCommit(repo.bareDir, ref);
    if (!commit) throw notFound(`No commit found for the ref ${ref}`);
    const object = await objectAt(repo.bareDir, commit, path);
    if (!object) throw notFound();
    const api = `${ctx.apiUrl}/repos/${repo.fullName}/contents`;
    const entry = (type: string, sha: string, entryPath: string, size: number) => ({
      type,
      sha,
      path: entryPath,
      name: basename(entryPath),
      size,
      url: `${api}/${entryPath}?ref=${encodeURIComponent(ref)}`,
      html_url: `${ctx.url}/${repo.fullName}/${type === "dir" ? "tree" : "blob"}/${ref}/${entryPath}`,
      git_url: `${ctx.apiUrl}/repos/${repo.fullName}/git/${type === "dir" ? "trees" : "blobs"}/${sha}`,
      download_url: type === "file" ? `${ctx.url}/raw/${repo.fullName}/${ref}/${entryPath}` : null,
    });
    if (object.type === "tree") {
      const entries = await listTree(repo.bareDir, object.sha);
      return ok(
        entries.map((e) => entry(e.type === "tree" ? "dir" : e.type === "commit" ? "submodule" : "file", e.sha, path ? `${path}/${e.name}` : e.name, e.size ?? 0)),
      );
    }
    const content = await readBlob(repo.bareDir, object.sha);
    const accept = String(req.headers.accept ?? "");
    if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) {
      return { status: 200, raw: content, contentType: "text/plain; charset=utf-8", headers: { etag: `"${object.sha}"` } };
    }
    return ok({
      ...entry("file", object.sha, path, content.length),
      encoding: "base64",
      content: content.toString("base64").replace(/(.{60})/g, "$1\n"),
    });
  };
  router.add("GET", "/repos/:owner/:repo/contents", handler);
  router.add("GET", "/repos/:owner/:repo/contents/*path", handler);
}
