import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadEnv } from "../../../../src/config/env.js";
import { createOperations, type Operations } from "../../../../src/dashboard/http/operations-handler.js";
import { AppMetrics } from "../../../../src/metrics/app-metrics.js";
import { RaceRegistry } from "../../../../src/queue/race-registry.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function serve(vars: Record<string, string>, workers: () => "running" | "disabled" | "starting"): Promise<string> {
  const env = loadEnv({ REDIS_URL, AGENT_RACE_PREFIX: "agent-race-ops-unit", ...vars });
  const producer = new Redis(REDIS_URL);
  const ops: Operations = createOperations(
    { env, log: pino({ level: "silent" }), producer, registry: new RaceRegistry(producer, env.AGENT_RACE_PREFIX), metrics: new AppMetrics({ defaultMetrics: false }) },
    { workers },
  );
  const server: Server = createServer((req, res) => void ops.handler(req, res).then((done) => done || res.writeHead(404).end("probot 404")));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(() => producer.disconnect(), () => ops.close(), () => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("operations handler", () => {
  it("leaves the dashboard off (404) when no access mode is configured; /metrics is then open", async () => {
    const base = await serve({}, () => "disabled");
    expect(await (await fetch(`${base}/agent-race`)).text()).toBe("probot 404");
    expect(await (await fetch(`${base}/agent-race/queues`)).text()).toBe("probot 404");
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", redis: true, workers: "disabled" });
  });

  it("is not ready while this process's workers are still starting", async () => {
    const base = await serve({ DASHBOARD_TOKEN: "t".repeat(20) }, () => "starting");
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "not ready", redis: true, workers: "starting" });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/agent-race`)).status).toBe(401);
  });
});
