import { branchExists, resolveCommit, runGit } from "../git-ops.js";
import { branchShas } from "../graphql-pull-nodes.js";
import { HttpError, ok, validationFailed } from "../http-utils.js";
import { paginate } from "../pagination.js";
import { bodyObject, intParam, optionalBoolean, optionalString, requirePull, requireRepo, requiredString } from "../route-context.js";
import type { Router } from "../router.js";
import { pullJson } from "../serialize-pull.js";
import { nextId, nowIso } from "../state.js";
import type { FakeIssue, FakePull } from "../types.js";

const customError = (message: string): HttpError =>
  new HttpError(422, "Validation Failed", { errors: [{ resource: "PullRequest", code: "custom", message }] });

/** Create, list, get and update pull requests (numbers are shared with issues). */
export function registerPullRoutes(router: Router): void {
  router.add("POST", "/repos/:owner/:repo/pulls", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const body = bodyObject(req);
    const title = requiredString(body, "title", "PullRequest");
    const rawHead = requiredString(body, "head", "PullRequest");
    const base = requiredString(body, "base", "PullRequest");
    const [headOwner, head] = rawHead.includes(":") ? (rawHead.split(":", 2) as [string, string]) : [repo.owner, rawHead];
    if (headOwner.toLowerCase() !== repo.owner.toLowerCase() || !(await branchExists(repo.bareDir, head))) {
      throw validationFailed("PullRequest", "head", "invalid");
    }
    if (!(await branchExists(repo.bareDir, base))) throw validationFailed("PullRequest", "base", "invalid");
    const duplicate = [...repo.pulls.values()].some((p) => p.head === head && p.base === base && repo.issues.get(p.number)?.state === "open");
    if (duplicate) throw customError(`A pull request already exists for ${repo.owner}:${head}.`);
    const ahead = await runGit(repo.bareDir, ["rev-list", "--count", `refs/heads/${base}..refs/heads/${head}`]);
    if (ahead.stdout.toString("utf8").trim() === "0") throw customError(`No commits between ${base} and ${head}`);

    const now = nowIso();
    const number = repo.nextNumber++;
    const issue: FakeIssue = {
      id: nextId(ctx.state),
      number,
      title,
      body: optionalString(body, "body") ?? null,
      user: ctx.state.bot,
      state: "open",
      stateReason: null,
      labels: [],
      reactions: [],
      isPullRequest: true,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    const id = nextId(ctx.state);
    const pull: FakePull = {
      id,
      nodeId: `PR_kwDO${Buffer.from(`${repo.id}:${number}`).toString("base64url")}`,
      number,
      head,
      base,
      headSha: (await resolveCommit(repo.bareDir, head)) ?? "",
      draft: optionalBoolean(body, "draft") ?? false,
      merged: false,
      mergedAt: null,
      mergeCommitSha: null,
    };
    repo.issues.set(number, issue);
    repo.pulls.set(number, pull);
    const json = await pullJson(ctx.state, repo, issue, pull, ctx.url);
    return ok(json, 201, { location: String(json.url) });
  });

  router.add("GET", "/repos/:owner/:repo/pulls", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const state = req.query.get("state") ?? "open";
    const headFilter = req.query.get("head");
    const baseFilter = req.query.get("base");
    const direction = req.query.get("direction") ?? "desc";
    const matches = [...repo.pulls.values()].filter((p) => {
      const issue = repo.issues.get(p.number);
      if (!issue || (state !== "all" && issue.state !== state)) return false;
      const label = headFilter?.includes(":") ? `${repo.owner}:${p.head}`.toLowerCase() : p.head.toLowerCase();
      if (headFilter !== null && label !== headFilter.toLowerCase()) return false;
      return baseFilter === null || p.base === baseFilter;
    });
    matches.sort((a, b) => (direction === "asc" ? a.number - b.number : b.number - a.number));
    const { page, headers } = paginate(req, ctx.apiUrl, matches);
    const branches = await branchShas(repo);
    const body = await Promise.all(page.map((p) => pullJson(ctx.state, repo, requirePull(repo, p.number).issue, p, ctx.url, branches)));
    return ok(body, 200, headers);
  });

  router.add("GET", "/repos/:owner/:repo/pulls/:number", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const { issue, pull } = requirePull(repo, intParam(req, "number"));
    return ok(await pullJson(ctx.state, repo, issue, pull, ctx.url));
  });

  router.add("PATCH", "/repos/:owner/:repo/pulls/:number", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const { issue, pull } = requirePull(repo, intParam(req, "number"));
    const body = bodyObject(req);
    const title = optionalString(body, "title");
    if (title) issue.title = title;
    const text = optionalString(body, "body");
    if (text !== undefined) issue.body = text;
    const base = optionalString(body, "base");
    if (base) {
      if (!(await branchExists(repo.bareDir, base))) throw validationFailed("PullRequest", "base", "invalid");
      pull.base = base;
    }
    const state = optionalString(body, "state");
    if (state === "open" || state === "closed") {
      if (state === "open" && pull.merged) throw customError("Cannot reopen a merged pull request");
      if (state !== issue.state) issue.closedAt = state === "closed" ? nowIso() : null;
      issue.state = state;
    } else if (state !== undefined && state !== null) {
      throw validationFailed("PullRequest", "state", "invalid");
    }
    issue.updatedAt = nowIso();
    return ok(await pullJson(ctx.state, repo, issue, pull, ctx.url));
  });
}
