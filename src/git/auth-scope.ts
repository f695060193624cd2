/**
 * The URL prefix an installation token's auth header is scoped to: `<protocol>://<host[:port]>/` of the
 * configured GitHub server (`https://github.com/`, or GitHub Enterprise's `GHE_PROTOCOL://GHE_HOST/`).
 * Git matches `http.<scope>.extraHeader` on scheme, host and port, so no other server ever gets the header.
 */
export function authScope(webUrl: string): string {
  const url = new URL(webUrl);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`GitHub URL must be http(s): ${JSON.stringify(webUrl)}`);
  if (url.username || url.password) throw new Error("GitHub URL must not contain credentials");
  return `${url.protocol}//${url.host}/`;
}

/** True when `cloneUrl` is on the configured GitHub server (same scheme, host and port as `scope`). */
export function isOnHost(cloneUrl: string, scope: string): boolean {
  try {
    const url = new URL(cloneUrl);
    return !url.username && !url.password && `${url.protocol}//${url.host}/` === scope;
  } catch {
    return false;
  }
}

/** What a git phase needs: `read` (fetch) or `push`. */
export type GitAccess = "read" | "push";

/** A token as git gets it: the header (environment only) and the one server it may go to. */
export interface GitAuth {
  /** Kept only to redact it from logs. */
  token: string;
  authHeader: string;
  authScope: string;
}
