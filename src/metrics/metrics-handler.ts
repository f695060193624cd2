import type { IncomingMessage, ServerResponse } from "node:http";
import { bearerToken, secretEquals } from "../auth/secret-compare.js";
import type { AppMetrics } from "./app-metrics.js";

/**
 * `GET /metrics` in Prometheus text format. With `token` set (DASHBOARD_TOKEN) it wants
 * `Authorization: Bearer <token>`; without, it is open.
 */
export function metricsHandler(metrics: AppMetrics, token: string | undefined): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if ((req.url ?? "").split("?")[0] !== "/metrics") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
      return true;
    }
    const given = bearerToken(req);
    if (token && (!given || !secretEquals(given, token))) {
      res.writeHead(401, { "www-authenticate": 'Bearer realm="agent-race metrics"', "content-type": "text/plain" }).end("unauthorized\n");
      return true;
    }
    const body = await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
