import { resolveCommit, runGit } from "../git-ops.js";
import { notFound, ok, validationFailed } from "../http-utils.js";
import { bodyObject, intParam, optionalString, requireRepo, requiredString, type ApiHandlerContext } from "../route-context.js";
import type { Router } from "../router.js";
import { APP_SLUG, nextId, nowIso } from "../state.js";
import type { FakeCheckRun, FakeRepoState } from "../types.js";

const STATUSES: readonly string[] = ["queued", "in_progress", "completed", "waiting", "requested", "pending"];
const CONCLUSIONS: readonly string[] = ["action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"];

function checkRunJson(ctx: ApiHandlerContext, repo: FakeRepoState, run: FakeCheckRun): Record<string, unknown> {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: Buffer.from(`08:CheckRun${run.id}`).toString("base64"),
    head_sha: run.headSha,
    external_id: run.externalId ?? "",
    url: api,
    html_url: `${ctx.url}/${repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${ctx.url}/${repo.fullName}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations_count: 0, annotations_url: `${api}/annotations` },
    name: run.name,
    check_suite: { id: run.id + 1_000_000 },
    app: { id: ctx.state.appId, slug: APP_SLUG, name: APP_SLUG },
    pull_requests: [],
  };
}

/** Applies the writable fields of a create/update body, validating status and conclusion. */
function applyFields(run: FakeCheckRun, body: Record<string, unknown>): void {
  const name = optionalString(body, "name");
  if (name) run.name = name;
  const status = optionalString(body, "status");
  if (status) {
    if (!STATUSES.includes(status)) throw validationFailed("CheckRun", "status", "invalid");
    run.status = status as FakeCheckRun["status"];
  }
  const conclusion = optionalString(body, "conclusion");
  if (conclusion) {
    if (!CONCLUSIONS.includes(conclusion)) throw validationFailed("CheckRun", "conclusion", "invalid");
    run.conclusion = conclusion;
    run.status = "completed";
  }
  if (run.status === "completed" && !run.conclusion) throw validationFailed("CheckRun", "conclusion", "missing_field");
  if (run.status === "completed") run.completedAt = optionalString(body, "completed_at") ?? run.completedAt ?? nowIso();
  run.startedAt = optionalString(body, "started_at") ?? run.startedAt;
  run.detailsUrl = optionalString(body, "details_url") ?? run.detailsUrl;
  run.externalId = optionalString(body, "external_id") ?? run.externalId;
  const output = body.output;
  if (output !== undefined && output !== null) {
    if (typeof output !== "object") throw validationFailed("CheckRun", "output", "invalid");
    const o = output as Record<string, unknown>;
    const title = optionalString(o, "title");
    const summary = optionalString(o, "summary");
    if (!title || !summary) throw validationFailed("CheckRun", "output", "missing_field", "output requires title and summary");
    if (summary.length > 65535) throw validationFailed("CheckRun", "output.summary", "custom", "summary is too long (maximum is 65535 characters)");
    run.output = { title, summary, text: optionalString(o, "text") ?? null };
  }
}

/** Check runs: create, update, get, and list for a ref. */
export function registerCheckRoutes(router: Router): void {
  router.add("POST", "/repos/:owner/:repo/check-runs", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const body = bodyObject(req);
    const name = requiredString(body, "name", "CheckRun");
    const headSha = requiredString(body, "head_sha", "CheckRun");
    const exists = await runGit(repo.bareDir, ["cat-file", "-e", `${headSha}^{commit}`]);
    if (exists.code !== 0 || !/^[0-9a-f]{40}$/.test(headSha)) throw validationFailed("CheckRun", "head_sha", "invalid", "No commit found for SHA: " + headSha);
    const run: FakeCheckRun = {
      id: nextId(ctx.state),
      name,
      headSha,
      status: "queued",
      conclusion: null,
      output: { title: null, summary: null, text: null },
      detailsUrl: null,
      externalId: null,
      startedAt: nowIso(),
      completedAt: null,
    };
    applyFields(run, body);
    repo.checkRuns.set(run.id, run);
    return ok(checkRunJson(ctx, repo, run), 201);
  });

  router.add("PATCH", "/repos/:owner/:repo/check-runs/:id", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const run = repo.checkRuns.get(intParam(req, "id"));
    if (!run) throw notFound();
    const draft: FakeCheckRun = { ...run, output: { ...run.output } };
    applyFields(draft, bodyObject(req));
    Object.assign(run, draft);
    return ok(checkRunJson(ctx, repo, run));
  });

  router.add("GET", "/repos/:owner/:repo/check-runs/:id", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const run = repo.checkRuns.get(intParam(req, "id"));
    if (!run) throw notFound();
    return ok(checkRunJson(ctx, repo, run));
  });

  router.add("GET", "/repos/:owner/:repo/commits/:ref/check-runs", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const sha = await resolveCommit(repo.bareDir, req.params.ref ?? "");
    if (!sha) throw validationFailed("Commit", "ref", "invalid", `No commit found for SHA: ${req.params.ref ?? ""}`);
    const name = req.query.get("check_name");
    const status = req.query.get("status");
    const runs = [...repo.checkRuns.values()].filter(
      (r) => r.headSha === sha && (name === null || r.name === name) && (status === null || r.status === status),
    );
    return ok({ total_count: runs.length, check_runs: runs.map((r) => checkRunJson(ctx, repo, r)) });
  });
}
