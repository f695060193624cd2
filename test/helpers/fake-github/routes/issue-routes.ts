import { noContent, notFound, ok, validationFailed, type ApiRequest } from "../http-utils.js";
import { paginatedResponse } from "../pagination.js";
import { bodyObject, intParam, type ApiHandlerContext, labelNames, optionalString, requireIssue, requireRepo, requiredString } from "../route-context.js";
import type { Router } from "../router.js";
import { commentJson, issueJson } from "../serialize-issue.js";
import { nextId, nowIso } from "../state.js";
import type { FakeComment } from "../types.js";
import { ensureRepoLabel } from "./label-routes.js";

/** Issues and issue comments (which also serve pull request conversation comments). */
export function registerIssueRoutes(router: Router): void {
  router.add("GET", "/repos/:owner/:repo/issues/:number", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    return ok(issueJson(repo, requireIssue(repo, intParam(req, "number")), ctx.url));
  });

  router.add("PATCH", "/repos/:owner/:repo/issues/:number", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const issue = requireIssue(repo, intParam(req, "number"));
    const body = bodyObject(req);
    const title = optionalString(body, "title");
    if (title === "" || title === null) throw validationFailed("Issue", "title", "missing_field");
    if (title !== undefined) issue.title = title;
    const text = optionalString(body, "body");
    if (text !== undefined) issue.body = text;
    const state = optionalString(body, "state");
    if (state !== undefined && state !== null) {
      if (state !== "open" && state !== "closed") throw validationFailed("Issue", "state", "invalid");
      if (state !== issue.state) {
        issue.state = state;
        issue.closedAt = state === "closed" ? nowIso() : null;
        issue.stateReason = state === "closed" ? (optionalString(body, "state_reason") ?? "completed") : "reopened";
      }
    }
    if (body.labels !== undefined) {
      const names = labelNames(body.labels).map((n) => ensureRepoLabel(ctx.state, repo, n).name);
      issue.labels = [...new Set(names)];
    }
    issue.updatedAt = nowIso();
    return ok(issueJson(repo, issue, ctx.url));
  });

  router.add("GET", "/repos/:owner/:repo/issues/:number/comments", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const issue = requireIssue(repo, intParam(req, "number"));
    const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number);
    return paginatedResponse(req, ctx.apiUrl, comments, (c) => commentJson(repo, c, ctx.url));
  });

  router.add("POST", "/repos/:owner/:repo/issues/:number/comments", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const issue = requireIssue(repo, intParam(req, "number"));
    const text = requiredString(bodyObject(req), "body", "IssueComment");
    if (text.length > 65536) throw validationFailed("IssueComment", "body", "custom", "body is too long (maximum is 65536 characters)");
    const now = nowIso();
    const comment: FakeComment = {
      id: nextId(ctx.state),
      issueNumber: issue.number,
      body: text,
      user: ctx.state.bot,
      reactions: [],
      createdAt: now,
      updatedAt: now,
    };
    repo.comments.set(comment.id, comment);
    issue.updatedAt = now;
    const json = commentJson(repo, comment, ctx.url);
    return ok(json, 201, { location: String(json.url) });
  });

  const findComment = (req: ApiRequest, ctx: ApiHandlerContext) => {
    const repo = requireRepo(req, ctx);
    const comment = repo.comments.get(intParam(req, "id"));
    if (!comment) throw notFound();
    return { repo, comment };
  };

  router.add("GET", "/repos/:owner/:repo/issues/comments/:id", (req, ctx) => {
    const { repo, comment } = findComment(req, ctx);
    return ok(commentJson(repo, comment, ctx.url));
  });

  router.add("PATCH", "/repos/:owner/:repo/issues/comments/:id", (req, ctx) => {
    const { repo, comment } = findComment(req, ctx);
    comment.body = requiredString(bodyObject(req), "body", "IssueComment");
    comment.updatedAt = nowIso();
    return ok(commentJson(repo, comment, ctx.url));
  });

  router.add("DELETE", "/repos/:owner/:repo/issues/comments/:id", (req, ctx) => {
    const { repo, comment } = findComment(req, ctx);
    repo.comments.delete(comment.id);
    return noContent();
  });
}
