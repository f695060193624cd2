import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRouter } from "./build-router.js";
import { dispatchRequest, type DispatchContext, type InjectedFailure } from "./dispatch-request.js";
import { issueInstallationToken, type TokenNarrowing } from "./routes/app-routes.js";
import { createFakeState } from "./state.js";
import * as api from "./test-api.js";
import type { FakeComment, FakeIssue, FakeRepoState, FakeReview, FakeState, Permission, RequestRecord } from "./types.js";

export interface FakeGitHub {
  /** `http://127.0.0.1:<port>`; git remotes are `${url}/<owner>/<repo>.git`. */
  url: string;
  /** `${url}/api/v3` (what Probot derives from GHE_HOST + GHE_PROTOCOL=http). */
  apiUrl: string;
  /** `127.0.0.1:<port>`, the value for GHE_HOST. */
  host: string;
  state: FakeState;
  /** Every HTTP request (REST, GraphQL, git) in arrival order; `status` is set once the response is sent. */
  requests: RequestRecord[];
  addRepo(options: api.AddRepoOptions): Promise<api.FakeRepo>;
  /** The live model of a repo (`"owner/name"` or a FakeRepo). */
  repo(ref: api.RepoRef): FakeRepoState;
  setPermission(repo: api.RepoRef, login: string, permission: Permission): void;
  addIssue(repo: api.RepoRef, options: api.AddIssueOptions): FakeIssue;
  addComment(repo: api.RepoRef, issueNumber: number, options: { body: string; user: string }): FakeComment;
  addReview(repo: api.RepoRef, pullNumber: number, options: api.AddReviewOptions): Promise<FakeReview>;
  /** Issues an installation token directly (what `POST /app/installations/:id/access_tokens` does; `narrowing` as its body would). */
  createInstallationToken(installationId?: number, narrowing?: TokenNarrowing): string;
  /** The next request matching `method` (or `"*"`) and `path` (tested on the pathname) gets `status`. */
  failNext(method: string, path: RegExp, status: number, body?: unknown): void;
  close(): Promise<void>;
}

/** Starts the fake GitHub (REST under /api/v3, GraphQL at /api/graphql, git smart HTTP) on 127.0.0.1. */
export async function createFakeGitHub(options: { port?: number } = {}): Promise<FakeGitHub> {
  const root = await mkdtemp(join(tmpdir(), "fake-github-"));
  const reposRoot = join(root, "repos");
  await mkdir(reposRoot, { recursive: true });
  const state = createFakeState();
  const failures: InjectedFailure[] = [];
  const requests: RequestRecord[] = [];
  const dispatch: DispatchContext = { ctx: { state, url: "", apiUrl: "" }, router: buildRouter(), reposRoot, failures, requests };

  const server = createServer((req, res) => {
    dispatchRequest(dispatch, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`fake-github: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  dispatch.ctx.url = url;
  dispatch.ctx.apiUrl = `${url}/api/v3`;

  return {
    url,
    apiUrl: `${url}/api/v3`,
    host: `127.0.0.1:${port}`,
    state,
    requests,
    addRepo: (o) => api.addRepo(state, url, reposRoot, o),
    repo: (ref) => api.getRepo(state, ref),
    setPermission: (ref, login, permission) => api.setPermission(state, ref, login, permission),
    addIssue: (ref, o) => api.addIssue(state, ref, o),
    addComment: (ref, n, o) => api.addComment(state, ref, n, o),
    addReview: (ref, n, o) => api.addReview(state, ref, n, o),
    createInstallationToken: (installationId = 1, narrowing = {}) => issueInstallationToken(state, installationId, narrowing).token,
    failNext: (method, path, status, body = { message: "Injected failure", documentation_url: "https://docs.github.com/rest" }) => {
      failures.push({ method: method.toUpperCase(), path, status, body });
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
