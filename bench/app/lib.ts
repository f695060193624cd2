// Shared pieces of the app-level benchmarks (run under vitest by bench/run.mjs, see bench/vitest.bench.config.ts).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeGitHub, RequestRecord } from "../../test/helpers/fake-github/index.js";
import { RaceRecords } from "../../src/redis/race-records.js";
import type { LaneState } from "../../src/model/race-state.js";
import { log } from "../lib/bench-env.mjs";

// What the runner passes in, the progress log and the raw result hand-over are the plain scripts' own.
export { benchEnv, log, writeRaw } from "../lib/bench-env.mjs";
export { median, round } from "../lib/stats.mjs";

/** The bench's timed agent: the tests' scripted agent plus `--time-log <file>` (its own run time). */
export const TIMED_AGENT = fileURLToPath(new URL("../fixtures/timed-agent.mjs", import.meta.url));
export const NODE = process.execPath;
/** BullMQ's lock duration as in production (the test harness shortens it to 5 s for its crash tests). */
export const PRODUCTION_LOCK_MS = "30000";

/** With BENCH_DEBUG set, prints a worker's log lines that hint at trouble (stalls, retries, warnings). */
export function dumpWorkerLog(name: string, output: string): void {
  if (!process.env.BENCH_DEBUG) return;
  const lines = output.split("\n").filter((line) => /stall|retry|attempt|warn|error|"level":(40|50|60)/i.test(line));
  log(`${name}: ${lines.length} notable log lines`);
  for (const line of lines.slice(-40)) log(`    ${line.slice(0, 400)}`);
}

/** The environment for `agent-race worker` children: this process's (GIT_CONFIG_* included), minus vitest's. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith("VITEST") && !key.startsWith("BENCH_")) env[key] = value;
  return { ...env, ...extra };
}

/**
 * Arrival times (epoch ms) of the fake GitHub's requests. The fake logs requests in order without
 * times, so this wraps the log array's `push` (the fake pushes each record as the request arrives).
 */
export function stampRequests(fake: FakeGitHub): (record: RequestRecord) => number {
  const stamps = new WeakMap<RequestRecord, number>();
  const list = fake.requests;
  const push = list.push.bind(list);
  list.push = (...items: RequestRecord[]): number => {
    const now = Date.now();
    for (const item of items) stamps.set(item, now);
    return push(...items);
  };
  return (record) => stamps.get(record) ?? Number.NaN;
}

export interface LaneStep {
  raceId: string;
  lane: number;
  step: LaneState["step"];
  at: number;
}

/**
 * Every lane state an in-process worker records (`RaceRecords.setLane`), with the event's own
 * timestamp. Works because the harness's server and this file share one module graph under vitest.
 */
export function recordLaneSteps(): { steps: LaneStep[]; restore(): void } {
  const steps: LaneStep[] = [];
  const proto = RaceRecords.prototype as unknown as { setLane: (raceId: string, state: LaneState) => Promise<void> };
  const original = proto.setLane;
  if (typeof original !== "function") throw new Error("RaceRecords.prototype.setLane is gone: update bench/app/lib.ts");
  proto.setLane = function (this: RaceRecords, raceId: string, state: LaneState) {
    steps.push({ raceId, lane: state.lane, step: state.step, at: state.updatedAt });
    return original.call(this, raceId, state);
  };
  return { steps, restore: () => void (proto.setLane = original) };
}

/** Resident set size of one process (not its children), in MB, or NaN once it is gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Lines the timed agent appended to `file` (one per agent run). */
export function readTimeLog(file: string): Array<{ lane: number; start: number; end: number; ms: number }> {
  try {
    return readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { lane: number; start: number; end: number; ms: number });
  } catch {
    return [];
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * With BENCH_PROFILE=<dir>, CPU-profiles this process (the app server, the in-process worker and the
 * fake GitHub) between start and stop and writes <dir>/<name>.cpuprofile; summarize it with
 * `node bench/lib/summarize-cpuprofile.mjs`. Without it, does nothing.
 */
export async function startProfile(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    log(`CPU profile written to ${file}`);
  };
}

/**
 * Counts the child processes this process starts (git, agents, evals, and the fake GitHub's
 * git http-backend) and the main-thread time spent starting them: `spawn` is synchronous, so that
 * time blocks the event loop.
 */
export function countSpawns(): { count(): number; ms(): number; restore(): void } {
  const proto = ChildProcess.prototype as unknown as { spawn: (...args: unknown[]) => unknown };
  const original = proto.spawn;
  let count = 0;
  let ms = 0;
  proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      ms += performance.now() - t0;
      count += 1;
    }
  };
  return { count: () => count, ms: () => ms, restore: () => void (proto.spawn = original) };
}
