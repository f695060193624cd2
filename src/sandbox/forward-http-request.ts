import { request, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** Hop-by-hop headers (RFC 9110 §7.6.1) and what only the proxy leg means; never forwarded either way. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "expect", "host"]);

export interface ForwardTarget {
  /** The checked address to connect to: never looked up again. */
  address: string;
  port: number;
  /** The Host header: the URL's authority. */
  authority: string;
  /** Origin-form path and query. */
  path: string;
}

/**
 * Forwards one absolute-form plain-HTTP request to its checked address, without hop-by-hop or `Proxy-*`
 * headers, and streams the response back the same way. `track` sees the upstream socket, so closing the
 * proxy can end it; an upstream that stays idle for `idleMs` is cut (504 if nothing was sent yet).
 */
export function forwardHttpRequest(req: IncomingMessage, res: ServerResponse, target: ForwardTarget, idleMs: number, track: (socket: Socket) => void): void {
  const upstream = request({
    host: target.address,
    port: target.port,
    method: req.method,
    path: target.path,
    headers: ["Host", target.authority, ...endToEnd(req.rawHeaders)],
    setHost: false,
    agent: false,
    timeout: idleMs,
  });
  upstream.on("socket", track);
  upstream.on("timeout", () => upstream.destroy(new Error("upstream idle timeout")));
  upstream.on("response", (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
    answer.pipe(res);
    answer.on("error", () => res.destroy());
  });
  upstream.on("error", (error) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const timedOut = error.message === "upstream idle timeout";
    res.writeHead(timedOut ? 504 : 502, { "content-type": "text/plain", connection: "close" });
    res.end(`agent-race egress proxy: ${timedOut ? "upstream timed out" : "cannot reach upstream"}\n`);
  });
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** A flat raw-header list without hop-by-hop headers, those the Connection header names, and Proxy-*. */
function endToEnd(raw: readonly string[]): string[] {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === "connection") for (const token of (raw[i + 1] ?? "").split(",")) named.add(token.trim().toLowerCase());
  }
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower) || lower.startsWith("proxy-")) continue;
    kept.push(name, raw[i + 1] as string);
  }
  return kept;
}
