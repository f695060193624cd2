import type { IncomingMessage } from "node:http";

/** The request's cookies by name (the first one wins, values URI-decoded where possible). */
export function readCookies(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (cookies.has(name)) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw);
    }
  }
  return cookies;
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Lax, scoped to the dashboard; `maxAgeS` 0 clears it. */
export function cookieHeader(name: string, value: string, options: { maxAgeS: number; secure: boolean; path?: string }): string {
  return [
    `${name}=${encodeURIComponent(value)}`, `Path=${options.path ?? "/agent-race"}`, `Max-Age=${Math.max(0, Math.floor(options.maxAgeS))}`,
    "HttpOnly", "SameSite=Lax", ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}
