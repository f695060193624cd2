import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { parseJunit } from "./parse-junit.js";
import type { TestCounts } from "./test-counts.js";

export interface OffThreadOptions {
  /** Parsing that takes longer is stopped. */
  timeoutMs?: number | undefined;
  /** The worker's heap cap: a report that needs more fails, the worker process does not. */
  maxHeapMb?: number | undefined;
}

/**
 * Below this size a report is parsed on the calling thread (it takes a few tens of ms, less than
 * starting a worker); above it, in a worker thread.
 */
export const INLINE_PARSE_BYTES = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_HEAP_MB = 512;

const replySchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), counts: z.object({ passed: z.int().min(0), failed: z.int().min(0), skipped: z.int().min(0) }) }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

/**
 * `parseJunit` without blocking the event loop: a large report (fast-xml-parser needs about
 * 0.1 s and 15 MB of heap per MB of XML) is parsed in a worker thread with a heap cap and a
 * timeout, so one lane's report cannot stall the worker's other lanes, queue and webhooks.
 * Rejects with parseJunit's own messages, or with what stopped the worker.
 */
export async function parseJunitOffThread(xml: Uint8Array, options: OffThreadOptions = {}): Promise<TestCounts> {
  const script = junitWorkerPath();
  // From src/ without a build (tests of small reports) there is no compiled worker: parse here.
  if (xml.byteLength <= INLINE_PARSE_BYTES || !existsSync(script)) return parseJunit(Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength).toString("utf8"));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxHeapMb = options.maxHeapMb ?? DEFAULT_HEAP_MB;
  // A copy the worker owns (transferred, not cloned): the caller's buffer stays usable.
  const owned = new Uint8Array(xml);
  const worker = new Worker(script, {
    workerData: { xml: owned },
    transferList: [owned.buffer],
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 8 },
    env: {},
    stdout: true,
    stderr: true,
  });
  return await new Promise<TestCounts>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`parsing took longer than ${timeoutMs / 1000}s`))), timeoutMs);
    worker.once("message", (message: unknown) => {
      const reply = replySchema.safeParse(message);
      settle(() => {
        if (!reply.success) reject(new Error("the JUnit parser sent an unexpected answer"));
        else if (reply.data.ok) resolve(reply.data.counts);
        else reject(new Error(reply.data.message));
      });
    });
    worker.once("error", (error: Error & { code?: string }) =>
      settle(() => reject(new Error(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? `parsing needs more than ${maxHeapMb} MB of memory` : error.message))),
    );
    worker.once("exit", (code) => settle(() => reject(new Error(`the JUnit parser stopped (exit code ${code})`))));
  });
}

/**
 * The compiled worker script (pure: no file system access). From dist/ it is the sibling
 * `parse-junit-worker.js`; from src/ (vitest runs the TypeScript) it is
 * `<package root>/dist/evals/parse-junit-worker.js`, which `npm run build` writes.
 */
export function junitWorkerPath(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith(".js")) return join(dirname(here), "parse-junit-worker.js");
  return join(dirname(here), "..", "..", "dist", "evals", "parse-junit-worker.js");
}
