// ingest: 2,000 signed deliveries (half start a race, half are filtered out), 50 in flight, from a
// separate process on loopback, against the app's webhook endpoint (`serve --no-worker`: verify,
// filter, de-duplicate, enqueue). Baseline: the same load against a bare node:http server that only
// verifies the signature.
import { spawn } from "node:child_process";
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { it } from "vitest";
import { issueCommentPayload, issueLabeledPayload, type FakeRepo } from "../../test/helpers/fake-github/index.js";
import { SECRET, startAppHarness, type AppHarness } from "../../test/helpers/app-harness.js";
import { benchEnv, log, median, PRODUCTION_LOCK_MS, round, startProfile, writeRaw } from "./lib.js";

const LOAD_GEN = fileURLToPath(new URL("../lib/load-gen.mjs", import.meta.url));
const CONCURRENCY = 50;

interface LoadResult {
  n: number;
  wall_s: number;
  per_s: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  statuses: Record<string, number>;
}

/** `count` signed deliveries, half relevant (a race label, a /race comment), half not, in a fixed mixed order. */
function deliveries(repo: FakeRepo, count: number): Array<{ event: string; id: string; signature: string; body: string; relevant: boolean }> {
  const kinds = [
    (i: number) => ({ event: "issues", relevant: true, payload: issueLabeledPayload({ repo, issue: { number: 1000 + i, title: `Issue ${i}`, body: "Fix it." }, label: "agent:race", sender: "alice", installationId: 1 }) }),
    (i: number) => ({ event: "issue_comment", relevant: true, payload: issueCommentPayload({ repo, issue: { number: 1000 + i, title: `Issue ${i}`, body: "Fix it." }, body: "/race 2", sender: "alice", installationId: 1, commentId: 50_000 + i }) }),
    (i: number) => ({ event: "issues", relevant: false, payload: issueLabeledPayload({ repo, issue: { number: 1000 + i, title: `Issue ${i}`, body: "Fix it." }, label: "bug", sender: "alice", installationId: 1 }) }),
    (i: number) => ({ event: "issue_comment", relevant: false, payload: issueCommentPayload({ repo, issue: { number: 1000 + i, title: `Issue ${i}`, body: "Fix it." }, body: "Looks good to me.", sender: "alice", installationId: 1, commentId: 50_000 + i }) }),
  ];
  return Array.from({ length: count }, (_, i) => {
    const { event, relevant, payload } = (kinds[(i * 7) % kinds.length] as (typeof kinds)[number])(i);
    const body = JSON.stringify(payload);
    return { event, relevant, id: randomUUID(), body, signature: `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` };
  });
}

/** Runs the load generator process against `url`; it is killed if it takes longer than 5 minutes. */
function load(file: string, url: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOAD_GEN, file, url, String(CONCURRENCY)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 5 * 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`load generator exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(out) as LoadResult);
    });
  });
}

/** The baseline: node:http that verifies the HMAC signature of the raw body and answers 200. */
async function startBareServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`);
      const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
      const ok = given.length === expected.length && timingSafeEqual(given, expected);
      res.writeHead(ok ? 200 : 401, { "content-type": "text/plain" }).end(ok ? "ok\n" : "bad signature\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`, server };
}

it("ingest", async () => {
  const { quick, runs } = benchEnv;
  const count = quick ? 300 : 2000;
  let h: AppHarness | undefined;
  let bare: { url: string; server: Server } | undefined;
  const app: LoadResult[] = [];
  const base: LoadResult[] = [];
  try {
    h = await startAppHarness({ files: { "README.md": "# widgets\n" }, withWorker: false, env: { AGENT_RACE_LOCK_MS: PRODUCTION_LOCK_MS } });
    bare = await startBareServer();
    const dir = process.env.BENCH_TMP ?? "/tmp";
    const batch = (name: string, n: number): string => {
      const file = join(dir, `ingest-${process.pid}-${name}.json`);
      writeFileSync(file, JSON.stringify(deliveries((h as AppHarness).repo, n)));
      return file;
    };
    // Warm both servers up (JIT, connections, Redis scripts), then alternate which goes first. With
    // 200 deliveries the first measured repetition was always the slowest (~1,800/s against ~2,900/s).
    const warmUp = quick ? 200 : 2000;
    await load(batch("warm-app", warmUp), h.webhookUrl);
    await load(batch("warm-bare", warmUp), bare.url);
    for (let run = 1; run <= runs; run++) {
      const order = run % 2 ? (["app", "bare"] as const) : (["bare", "app"] as const);
      for (const target of order) {
        const file = batch(`${target}-${run}`, count);
        const stopProfile = target === "app" && run === 1 ? await startProfile("ingest-app") : async () => undefined;
        const result = await load(file, target === "app" ? h.webhookUrl : bare.url);
        await stopProfile();
        const ok = Object.entries(result.statuses).filter(([s]) => s.startsWith("2")).reduce((sum, [, n]) => sum + n, 0);
        if (ok !== count) throw new Error(`${target}: only ${ok}/${count} deliveries got a 2xx: ${JSON.stringify(result.statuses)}`);
        (target === "app" ? app : base).push(result);
        log(`run ${run}/${runs} ${target.padEnd(4)}: ${result.per_s.toFixed(0)}/s, p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, max ${result.max_ms} ms`);
      }
    }
  } finally {
    if (bare) await new Promise<void>((resolve) => (bare as { server: Server }).server.close(() => resolve()));
    await h?.close();
  }

  const series = (list: LoadResult[], key: "per_s" | "p50_ms" | "p99_ms") => list.map((r) => ({ value: r[key], ...r }));
  const perS = median(app.map((r) => r.per_s));
  const p99 = median(app.map((r) => r.p99_ms));
  writeRaw({
    name: "ingest",
    metric: `deliveries acknowledged per second (${count} signed deliveries, ${CONCURRENCY} in flight, keep-alive, separate client process)`,
    unit: "/s",
    params: { deliveries: count, concurrency: CONCURRENCY, relevant_share: 0.5, runs, quick, server: "agent-race serve --no-worker (Probot: verify, filter, dedupe, enqueue to Redis)", client: "bench/lib/load-gen.mjs in its own process, node:http keep-alive agent" },
    runs: series(app, "per_s"),
    baseline: { description: "bare node:http + HMAC check", runs: series(base, "per_s") },
    cases: [
      { label: "throughput", unit: "/s", runs: series(app, "per_s"), baseline: { description: "bare node:http + HMAC check", runs: series(base, "per_s") } },
      { label: "ack latency p50", unit: "ms", runs: series(app, "p50_ms"), baseline: { description: "bare server p50", runs: series(base, "p50_ms") } },
      { label: "ack latency p99", unit: "ms", runs: series(app, "p99_ms"), baseline: { description: "bare server p99", runs: series(base, "p99_ms") } },
    ],
    goals: [
      { text: "≥ 500 deliveries/s", value: `${round(perS, 0)}/s`, met: perS >= 500 },
      { text: "p99 ack latency < 50 ms", value: `${round(p99, 1)} ms`, met: p99 < 50 },
    ],
    notes: ["Relevant deliveries enqueue trigger jobs that no worker takes (the server runs without one); they are deleted with the run's Redis prefix."],
  });
});
