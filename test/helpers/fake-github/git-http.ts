import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createGunzip, createInflate } from "node:zlib";
import { pipeCgiResponse } from "./cgi-response.js";
import { findRepo } from "./state.js";
import { tokenAllows, tokenReaches } from "./token-scope.js";
import type { FakeState, GitRequestRecord } from "./types.js";

const GIT_PATH = /^\/([^/]+)\/([^/]+?)\.git(\/.*)$/;

/** Whether `pathname` is a smart-HTTP git path (`/:owner/:repo.git/...`). */
export function isGitPath(pathname: string): boolean {
  return GIT_PATH.test(pathname);
}

/** The installation token from `Authorization: Basic base64(user:token)` when it was issued and is live. */
function basicToken(state: FakeState, header: string | undefined): string | null {
  const match = /^basic\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const password = decoded.slice(decoded.indexOf(":") + 1);
  const token = state.tokens.get(password);
  return token && Date.parse(token.expiresAt) > Date.now() ? token.token : null;
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): number {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers }).end(text);
  return status;
}

/**
 * Serves git smart HTTP by running `git http-backend` as a CGI program under `reposRoot`
 * (`<reposRoot>/<owner>/<repo>.git`). Requires basic auth with an issued installation token.
 */
export async function handleGitHttp(state: FakeState, reposRoot: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const [, owner = "", repoName = "", subPath = "/"] = GIT_PATH.exec(url.pathname) ?? [];
  const serviceName = url.searchParams.get("service") ?? /\/(git-upload-pack|git-receive-pack)$/.exec(subPath)?.[1] ?? null;
  const service = serviceName === "git-upload-pack" || serviceName === "git-receive-pack" ? serviceName : null;
  const token = basicToken(state, req.headers.authorization);
  const record: GitRequestRecord = { owner, repo: repoName, method: req.method ?? "GET", path: subPath, service, token, status: 0 };
  state.gitRequests.push(record);

  if (!token) {
    req.resume();
    record.status = plain(res, 401, "Authentication required\n", { "www-authenticate": 'Basic realm="fake-github"' });
    return;
  }
  const repo = findRepo(state, owner, repoName);
  const tokenInfo = state.tokens.get(token) ?? null;
  if (!repo || !tokenInfo || !tokenReaches(tokenInfo, repo)) {
    req.resume();
    record.status = plain(res, 404, "Repository not found.\n");
    return;
  }
  // Like GitHub: a push needs `contents: write`, a fetch `contents: read`, when the token was narrowed.
  if (!tokenAllows(tokenInfo, { any: ["contents"], level: service === "git-receive-pack" ? "write" : "read" })) {
    req.resume();
    record.status = plain(res, 403, `Permission to ${repo.fullName}.git denied to ${state.bot.login}.\n`);
    return;
  }

  const child = spawn("git", ["http-backend"], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: reposRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: `/${repo.owner}/${repo.name}.git${subPath}`,
      REQUEST_METHOD: req.method ?? "GET",
      QUERY_STRING: url.search.replace(/^\?/, ""),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_USER: "x-access-token",
      REMOTE_ADDR: "127.0.0.1",
      GIT_HTTP_MAX_REQUEST_BUFFER: "100M",
      ...(req.headers["git-protocol"] ? { HTTP_GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "http.receivepack",
      GIT_CONFIG_VALUE_0: "true",
      GIT_CONFIG_KEY_1: "http.uploadpack",
      GIT_CONFIG_VALUE_1: "true",
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const stderr: Buffer[] = [];
  child.stderr.on("data", (c: Buffer) => stderr.push(c));
  child.stdin.on("error", () => undefined); // the backend may exit before reading everything

  const encoding = (req.headers["content-encoding"] ?? "").toLowerCase();
  const decoded = encoding === "gzip" || encoding === "x-gzip" ? req.pipe(createGunzip()) : encoding === "deflate" ? req.pipe(createInflate()) : req;
  decoded.pipe(child.stdin);

  try {
    record.status = await pipeCgiResponse(child.stdout, res);
    await new Promise<void>((resolve) => res.once("close", resolve));
  } catch (error) {
    const detail = Buffer.concat(stderr).toString("utf8");
    record.status = res.headersSent ? record.status : plain(res, 500, `git http-backend failed: ${String(error)}\n${detail}`);
  }
}
