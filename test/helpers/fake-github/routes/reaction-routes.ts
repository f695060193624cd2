import { notFound, ok, validationFailed, type ApiRequest } from "../http-utils.js";
import { paginatedResponse } from "../pagination.js";
import { bodyObject, intParam, requireIssue, requireRepo, requiredString, type ApiHandlerContext } from "../route-context.js";
import type { Router } from "../router.js";
import { reactionJson } from "../serialize-issue.js";
import { nextId, nowIso } from "../state.js";
import type { FakeReaction, ReactionContent } from "../types.js";

const CONTENTS: readonly string[] = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

type ReactionTarget = (req: ApiRequest, ctx: ApiHandlerContext) => FakeReaction[];

const issueTarget: ReactionTarget = (req, ctx) => requireIssue(requireRepo(req, ctx), intParam(req, "number")).reactions;
const commentTarget: ReactionTarget = (req, ctx) => {
  const comment = requireRepo(req, ctx).comments.get(intParam(req, "id"));
  if (!comment) throw notFound();
  return comment.reactions;
};

/** Reactions on issues and issue comments (created as the app bot; 200 when it already exists). */
export function registerReactionRoutes(router: Router): void {
  for (const [pattern, target] of [
    ["/repos/:owner/:repo/issues/:number/reactions", issueTarget],
    ["/repos/:owner/:repo/issues/comments/:id/reactions", commentTarget],
  ] as const) {
    router.add("GET", pattern, (req, ctx) => {
      const content = req.query.get("content");
      const reactions = target(req, ctx).filter((r) => content === null || r.content === content);
      return paginatedResponse(req, ctx.apiUrl, reactions, (r) => reactionJson(r, ctx.url));
    });
    router.add("POST", pattern, (req, ctx) => {
      const reactions = target(req, ctx);
      const content = requiredString(bodyObject(req), "content", "Reaction");
      if (!CONTENTS.includes(content)) throw validationFailed("Reaction", "content", "invalid");
      const existing = reactions.find((r) => r.content === content && r.user.id === ctx.state.bot.id);
      if (existing) return ok(reactionJson(existing, ctx.url), 200);
      const reaction: FakeReaction = { id: nextId(ctx.state), content: content as ReactionContent, user: ctx.state.bot, createdAt: nowIso() };
      reactions.push(reaction);
      return ok(reactionJson(reaction, ctx.url), 201);
    });
  }
}
