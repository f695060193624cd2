import { createHash } from "node:crypto";
import { HttpError, notFound, ok, validationFailed } from "../http-utils.js";
import { paginatedResponse } from "../pagination.js";
import { bodyObject, intParam, labelNames, optionalString, requireIssue, requireRepo, requiredString } from "../route-context.js";
import type { Router } from "../router.js";
import { labelJson } from "../serialize-issue.js";
import { nextId, nowIso } from "../state.js";
import type { FakeLabel, FakeRepoState, FakeState } from "../types.js";

/** Returns the repo label `name` (case-insensitive), creating it like GitHub does when labelling issues. */
export function ensureRepoLabel(state: FakeState, repo: FakeRepoState, name: string, color?: string, description?: string | null): FakeLabel {
  const existing = repo.labels.get(name.toLowerCase());
  if (existing) return existing;
  const label: FakeLabel = {
    id: nextId(state),
    name,
    color: color ?? createHash("sha1").update(name).digest("hex").slice(0, 6),
    description: description ?? null,
  };
  repo.labels.set(name.toLowerCase(), label);
  return label;
}

/** Repo labels and issue labels. */
export function registerLabelRoutes(router: Router): void {
  router.add("GET", "/repos/:owner/:repo/labels", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    return paginatedResponse(req, ctx.apiUrl, [...repo.labels.values()], (l) => labelJson(repo, l, ctx.url));
  });

  router.add("GET", "/repos/:owner/:repo/labels/:name", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const label = repo.labels.get((req.params.name ?? "").toLowerCase());
    if (!label) throw notFound();
    return ok(labelJson(repo, label, ctx.url));
  });

  router.add("POST", "/repos/:owner/:repo/labels", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const body = bodyObject(req);
    const name = requiredString(body, "name", "Label");
    if (repo.labels.has(name.toLowerCase())) throw validationFailed("Label", "name", "already_exists");
    const color = (optionalString(body, "color") ?? "ededed").replace(/^#/, "");
    if (!/^[0-9a-fA-F]{6}$/.test(color)) throw validationFailed("Label", "color", "invalid");
    const label = ensureRepoLabel(ctx.state, repo, name, color, optionalString(body, "description") ?? null);
    return ok(labelJson(repo, label, ctx.url), 201);
  });

  const addLabels = (replace: boolean): Parameters<Router["add"]>[2] => (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const issue = requireIssue(repo, intParam(req, "number"));
    const raw = Array.isArray(req.body) ? req.body : bodyObject(req).labels;
    const names = labelNames(raw ?? []).map((n) => ensureRepoLabel(ctx.state, repo, n).name);
    issue.labels = [...new Set([...(replace ? [] : issue.labels), ...names])];
    issue.updatedAt = nowIso();
    return ok(issue.labels.flatMap((n) => [repo.labels.get(n.toLowerCase())].filter((l) => l !== undefined).map((l) => labelJson(repo, l, ctx.url))));
  };
  router.add("POST", "/repos/:owner/:repo/issues/:number/labels", addLabels(false));
  router.add("PUT", "/repos/:owner/:repo/issues/:number/labels", addLabels(true));

  router.add("GET", "/repos/:owner/:repo/issues/:number/labels", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const issue = requireIssue(repo, intParam(req, "number"));
    const labels = issue.labels.flatMap((n) => [repo.labels.get(n.toLowerCase())].filter((l) => l !== undefined));
    return paginatedResponse(req, ctx.apiUrl, labels, (l) => labelJson(repo, l, ctx.url));
  });

  router.add("DELETE", "/repos/:owner/:repo/issues/:number/labels/:name", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const issue = requireIssue(repo, intParam(req, "number"));
    const name = (req.params.name ?? "").toLowerCase();
    if (!issue.labels.some((l) => l.toLowerCase() === name)) throw new HttpError(404, "Label does not exist");
    issue.labels = issue.labels.filter((l) => l.toLowerCase() !== name);
    issue.updatedAt = nowIso();
    return ok(issue.labels.flatMap((n) => [repo.labels.get(n.toLowerCase())].filter((l) => l !== undefined).map((l) => labelJson(repo, l, ctx.url))));
  });
}
