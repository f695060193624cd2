import { diffFiles } from "../diff-files.js";
import { mergeBranches, resolveCommit } from "../git-ops.js";
import { HttpError, notFound, ok, type ApiRequest } from "../http-utils.js";
import { paginatedResponse } from "../pagination.js";
import { bodyObject, intParam, optionalString, requirePull, requireRepo, type ApiHandlerContext } from "../route-context.js";
import type { Router } from "../router.js";
import { seededDiffFiles } from "../seeded-files.js";
import { refreshHeadSha, reviewCommentJson, reviewJson } from "../serialize-pull.js";
import { nowIso } from "../state.js";

/** Pull request files, reviews, review comments and merging. */
export function registerPullDetailRoutes(router: Router): void {
  // Heads written by seedPulls answer from their recorded files (no git diff: fast at 1,000 PRs), others from git.
  router.add("GET", "/repos/:owner/:repo/pulls/:number/files", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const { pull } = requirePull(repo, intParam(req, "number"));
    const head = await refreshHeadSha(repo, pull);
    const files = seededDiffFiles(repo, head) ?? (await diffFiles(repo.bareDir, (await resolveCommit(repo.bareDir, pull.base)) ?? head, head));
    return paginatedResponse(req, ctx.apiUrl, files, (f) => ({
      ...f,
      blob_url: `${ctx.url}/${repo.fullName}/blob/${head}/${f.filename}`,
      raw_url: `${ctx.url}/${repo.fullName}/raw/${head}/${f.filename}`,
      contents_url: `${ctx.apiUrl}/repos/${repo.fullName}/contents/${f.filename}?ref=${head}`,
    }));
  });

  router.add("GET", "/repos/:owner/:repo/pulls/:number/reviews", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const { pull } = requirePull(repo, intParam(req, "number"));
    const reviews = repo.reviews.filter((r) => r.pullNumber === pull.number);
    return paginatedResponse(req, ctx.apiUrl, reviews, (r) => reviewJson(repo, r, ctx.url));
  });

  const findReview = (req: ApiRequest, ctx: ApiHandlerContext) => {
    const repo = requireRepo(req, ctx);
    const { pull } = requirePull(repo, intParam(req, "number"));
    const review = repo.reviews.find((r) => r.pullNumber === pull.number && r.id === intParam(req, "id"));
    if (!review) throw notFound();
    return { repo, review };
  };

  router.add("GET", "/repos/:owner/:repo/pulls/:number/reviews/:id", (req, ctx) => {
    const { repo, review } = findReview(req, ctx);
    return ok(reviewJson(repo, review, ctx.url));
  });

  router.add("GET", "/repos/:owner/:repo/pulls/:number/reviews/:id/comments", (req, ctx) => {
    const { repo, review } = findReview(req, ctx);
    return paginatedResponse(req, ctx.apiUrl, review.comments, (c) => reviewCommentJson(repo, review, c, ctx.url));
  });

  router.add("GET", "/repos/:owner/:repo/pulls/:number/comments", (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const { pull } = requirePull(repo, intParam(req, "number"));
    const pairs = repo.reviews.filter((r) => r.pullNumber === pull.number).flatMap((r) => r.comments.map((c) => ({ r, c })));
    return paginatedResponse(req, ctx.apiUrl, pairs, ({ r, c }) => reviewCommentJson(repo, r, c, ctx.url));
  });

  router.add("PUT", "/repos/:owner/:repo/pulls/:number/merge", async (req, ctx) => {
    const repo = requireRepo(req, ctx);
    const { issue, pull } = requirePull(repo, intParam(req, "number"));
    if (pull.merged || issue.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
    const body = bodyObject(req);
    const expected = optionalString(body, "sha");
    const head = await refreshHeadSha(repo, pull);
    if (expected && expected !== head) throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
    const title = optionalString(body, "commit_title") ?? `Merge pull request #${pull.number} from ${repo.owner}/${pull.head}`;
    const sha = await mergeBranches(repo.bareDir, pull.base, pull.head, title);
    if (!sha) throw new HttpError(405, "Pull Request is not mergeable");
    const now = nowIso();
    Object.assign(pull, { merged: true, mergedAt: now, mergeCommitSha: sha });
    Object.assign(issue, { state: "closed", closedAt: now, updatedAt: now });
    return ok({ sha, merged: true, message: "Pull Request successfully merged" });
  });
}
