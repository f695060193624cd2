import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadEnv } from "../../../src/config/env.js";
import type { Operations } from "../../../src/dashboard/http/operations-handler.js";
import { createOperations } from "../../../src/server/create-operations.js";
import { AppMetrics } from "../../../src/metrics/app-metrics.js";
import { QUEUES } from "../../../src/queue/queue-names.js";
import { RaceRegistry } from "../../../src/redis/race-registry.js";
import { raceMeta } from "../dashboard/dashboard-fixtures.js";

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

  it("shows a race from the race records with its job's trigger, and bull-board over the queues, to the token", async () => {
    const prefix = `agent-race-ops-unit-${randomUUID().slice(0, 8)}`;
    const token = "t".repeat(20);
    const base = await serve({ DASHBOARD_TOKEN: token, AGENT_RACE_PREFIX: prefix }, () => "running");
    const redis = new Redis(REDIS_URL);
    const races = new Queue(QUEUES.races, { connection: redis, prefix });
    cleanup.push(async () => {
      await races.obliterate({ force: true });
      await races.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });
    await new RaceRegistry(redis, prefix).races.save(raceMeta({ raceId: "ops1", createdAt: Date.now() }));
    await races.add("race", { trigger: "comment" }, { jobId: "race-ops1" });
    const headers = { authorization: `Bearer ${token}` };
    const page = await fetch(`${base}/agent-race/races/ops1`, { headers });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/race comment");
    const board = await fetch(`${base}/agent-race/queues/api/queues?activeQueue=races&page=1&jobsPerPage=10`, { headers });
    expect(board.status).toBe(200);
    expect(JSON.stringify(await board.json())).toContain("race-ops1");
  });
});
