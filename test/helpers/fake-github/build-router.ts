import { Router } from "./router.js";
import { registerAppRoutes } from "./routes/app-routes.js";
import { registerCheckRoutes } from "./routes/check-routes.js";
import { registerContentsRoutes } from "./routes/contents-routes.js";
import { registerGitRefRoutes } from "./routes/git-ref-routes.js";
import { registerIssueRoutes } from "./routes/issue-routes.js";
import { registerLabelRoutes } from "./routes/label-routes.js";
import { registerPullDetailRoutes } from "./routes/pull-detail-routes.js";
import { registerPullRoutes } from "./routes/pull-routes.js";
import { registerReactionRoutes } from "./routes/reaction-routes.js";
import { registerRepoRoutes } from "./routes/repo-routes.js";

/**
 * All REST routes, relative to `/api/v3` (JWT = any `bearer a.b.c`; others need an issued installation token):
 *   JWT:  GET /app, GET /app/installations[/:id], POST /app/installations/:id/access_tokens, GET /repos/:o/:r/installation
 *   repo: GET /repos/:o/:r, GET …/collaborators/:user/permission, GET …/contents[/*path] (?ref, raw or JSON)
 *   issues: GET|PATCH …/issues/:n, GET|POST …/issues/:n/comments, GET|PATCH|DELETE …/issues/comments/:id,
 *           GET|POST …/issues/:n/reactions, GET|POST …/issues/comments/:id/reactions
 *   labels: GET|POST …/labels, GET …/labels/:name, GET|POST|PUT …/issues/:n/labels, DELETE …/issues/:n/labels/:name
 *   pulls: POST|GET …/pulls, GET|PATCH …/pulls/:n, GET …/pulls/:n/files, GET …/pulls/:n/reviews[/:id[/comments]],
 *          GET …/pulls/:n/comments, PUT …/pulls/:n/merge
 *   checks: POST …/check-runs, GET|PATCH …/check-runs/:id, GET …/commits/:ref/check-runs
 *   git: GET …/git/ref/*ref, POST …/git/refs, DELETE …/git/refs/*ref, GET …/branches/*branch
 * GraphQL (`/api/graphql`) is in graphql-route.ts; git smart HTTP (`/:o/:r.git/*`) in git-http.ts.
 * A token minted with `repositories`/`repository_ids`/`permissions` is held to them (token-scope.ts): 404 outside its
 * repositories, 403 "Resource not accessible by integration" without the permission, for REST, GraphQL and git alike.
 */
export function buildRouter(): Router {
  const router = new Router();
  registerAppRoutes(router);
  registerRepoRoutes(router);
  registerContentsRoutes(router);
  registerIssueRoutes(router);
  registerLabelRoutes(router);
  registerReactionRoutes(router);
  registerPullRoutes(router);
  registerPullDetailRoutes(router);
  registerCheckRoutes(router);
  registerGitRefRoutes(router);
  return router;
}
