#!/usr/bin/env node
// @ts-check
// Webhook load generator, run as its own process by the ingest benchmark:
//   node bench/lib/load-gen.mjs <deliveries.json> <url> <concurrency>
// deliveries.json: [{ event, id, signature, body }] (signed beforehand, so signing costs the client nothing).
// POSTs every delivery once over keep-alive loopback connections, `concurrency` in flight, and prints
// { n, wall_s, per_s, p50_ms, p90_ms, p99_ms, max_ms, statuses } as JSON on stdout.
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";

const [file, url, concurrencyArg] = process.argv.slice(2);
if (!file || !url) throw new Error("usage: load-gen.mjs <deliveries.json> <url> [concurrency]");
const concurrency = Number(concurrencyArg ?? 50);
/** @type {Array<{ event: string, id: string, signature: string, body: string }>} */
const deliveries = JSON.parse(readFileSync(file, "utf8"));
const bodies = deliveries.map((d) => Buffer.from(d.body, "utf8"));
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const REQUEST_TIMEOUT_MS = 30_000;

/** @returns {Promise<number>} the status code (0 on a network error) */
function post(/** @type {number} */ i) {
  const delivery = deliveries[i];
  const body = bodies[i];
  if (!delivery || !body) return Promise.resolve(0);
  return new Promise((resolve) => {
    const req = request(
      {
        agent, host: target.hostname, port: target.port, path: target.pathname, method: "POST", timeout: REQUEST_TIMEOUT_MS,
        headers: {
          "content-type": "application/json", "content-length": body.length, "user-agent": "GitHub-Hookshot/bench",
          "x-github-event": delivery.event, "x-github-delivery": delivery.id, "x-hub-signature-256": delivery.signature,
          "x-github-hook-id": "1", "x-github-hook-installation-target-type": "integration", "x-github-hook-installation-target-id": "1",
        },
      },
      (res) => {
        res.resume();
        res.once("end", () => resolve(res.statusCode ?? 0));
        res.once("error", () => resolve(0));
      },
    );
    req.once("timeout", () => req.destroy(new Error("timeout")));
    req.once("error", () => resolve(0));
    req.end(body);
  });
}

const latencies = new Array(deliveries.length).fill(Number.NaN);
/** @type {Record<string, number>} */
const statuses = {};
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: Math.min(concurrency, deliveries.length) }, async () => {
  while (next < deliveries.length) {
    const i = next++;
    const t0 = performance.now();
    const status = await post(i);
    latencies[i] = performance.now() - t0;
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}));
const wall = (performance.now() - started) / 1000;
agent.destroy();
const sorted = latencies.filter(Number.isFinite).sort((a, b) => a - b);
const pct = (/** @type {number} */ p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const r = (/** @type {number} */ n) => Number(n.toFixed(2));
process.stdout.write(`${JSON.stringify({ n: deliveries.length, concurrency, wall_s: r(wall), per_s: r(deliveries.length / wall), p50_ms: r(pct(50)), p90_ms: r(pct(90)), p99_ms: r(pct(99)), max_ms: r(sorted.at(-1) ?? Number.NaN), statuses })}\n`);
