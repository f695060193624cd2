import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A fresh CSP nonce for one response's inline script. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** Sends a dashboard page with a strict CSP: no external anything, only the nonce'd inline script. */
export function sendHtml(res: ServerResponse, status: number, body: string, nonce: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    ...headers,
  }).end(body);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers }).end(`${text}\n`);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { location, "cache-control": "no-store", "referrer-policy": "no-referrer", ...headers }).end();
}

/** The dashboard's public origin as the client reached it (proxies: X-Forwarded-Proto/Host). */
export function publicOrigin(req: IncomingMessage): { origin: string; secure: boolean } {
  const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim();
  const encrypted = "encrypted" in req.socket && req.socket.encrypted === true;
  const proto = first(req.headers["x-forwarded-proto"]) === "https" || encrypted ? "https" : "http";
  const host = first(req.headers["x-forwarded-host"]) ?? req.headers.host ?? "localhost";
  return { origin: `${proto}://${host}`, secure: proto === "https" };
}
