import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AppMetrics } from "../../../src/metrics/app-metrics.js";
import { metricsHandler } from "../../../src/metrics/metrics-handler.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => server?.close(r));
});

async function serve(token: string | undefined): Promise<string> {
  const metrics = new AppMetrics({ defaultMetrics: false });
  metrics.raceFinished("failed");
  const handle = metricsHandler(metrics, token);
  server = createServer((req, res) => void handle(req, res).then((done) => done || res.writeHead(404).end()));
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("/metrics", () => {
  it("wants the bearer token when DASHBOARD_TOKEN is set", async () => {
    const base = await serve("t".repeat(20));
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${"t".repeat(20)}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
    expect(await ok.text()).toContain('agent_race_races_total{outcome="failed"} 1');
  });

  it("is open without a token, and leaves other paths alone", async () => {
    const base = await serve(undefined);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/other`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
  });
});
