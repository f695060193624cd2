import type { Logger } from "pino";

const REDACTED = "[REDACTED]";
/** Query parameters that carry secrets: the dashboard's `?token=`, OAuth's one-time `code` and `state`. */
const SECRET_PARAMS = /([?&](?:token|code|state)=)[^&#]*/gi;

/**
 * A logger for Probot's HTTP request log (pino-http), which logs every request's URL, request
 * headers and response headers: the dashboard token, session cookies and OAuth codes must not
 * reach it. A child's `redact` replaces the parent's, so the app logger's paths are repeated.
 */
export function requestLogRedaction(log: Logger): Logger {
  return log.child({}, {
    redact: {
      paths: [
        "token", "*.token", "authorization", "*.authorization", "headers.authorization", "privateKey", "*.privateKey", "secret", "*.secret",
        "req.url", "req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]',
      ],
      censor: (value: unknown, path: string[]) => (path.at(-1) === "url" && typeof value === "string" ? redactUrl(value) : REDACTED),
    },
  });
}

/** `/agent-race?token=abc&x=1` → `/agent-race?token=[REDACTED]&x=1`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, `$1${REDACTED}`);
}
