import { randomUUID } from "node:crypto";
import { mkdirSync, realpathSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CancelledError } from "../errors.js";

export interface FileLockOptions {
  /** A lock whose owner has not refreshed it for this long is broken. Default 10 minutes. */
  staleMs?: number;
  /** Give up (throw) after waiting this long, in-process queue included. Default 15 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Owner {
  pid: number;
  hostname: string;
  time: number;
  id: string;
}

const DEFAULT_STALE_MS = 10 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 15 * 60 * 1000;
/** Per lock path, the promise that settles when the last queued in-process holder is done. */
const queues = new Map<string, Promise<void>>();

/**
 * Runs `fn` while holding a cross-process lock: the directory `lockPath`, created with `mkdir` and holding
 * `owner.json` (pid, hostname, time; refreshed while held). A lock whose pid is gone on this host, or that is
 * older than `staleMs`, is broken. Calls in one process queue up in order without polling.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  // The real parent path keys the queue, so aliases of one lock (symlinks) still queue in-process; found
  // synchronously so that calls join the queue in call order.
  mkdirSync(dirname(resolve(lockPath)), { recursive: true });
  const path = join(realpathSync(dirname(resolve(lockPath))), basename(lockPath));
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const previous = queues.get(path) ?? Promise.resolve();
  let done = (): void => undefined;
  const mine = new Promise<void>((settle) => (done = settle));
  const tail = previous.then(() => mine);
  queues.set(path, tail);
  try {
    await waitForTurn(path, previous, deadline, options.signal);
    const owner = await acquire(path, staleMs, deadline, options.signal);
    let beat = Promise.resolve();
    const heartbeat = setInterval(() => (beat = beat.then(() => refresh(path, owner))), Math.max(10, staleMs / 3));
    heartbeat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(heartbeat);
      await beat;
      await release(path, owner);
    }
  } finally {
    done();
    if (queues.get(path) === tail) queues.delete(path);
  }
}

async function waitForTurn(path: string, previous: Promise<void>, deadline: number, signal?: AbortSignal): Promise<void> {
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  signal?.addEventListener("abort", abort, { once: true });
  try {
    const expired = sleep(Math.max(0, deadline - Date.now()), "timeout" as const, { signal: stop.signal });
    const outcome = await Promise.race([previous.then(() => "turn" as const), expired]).catch(() => "aborted" as const);
    if (outcome === "timeout") throw timeoutError(path, null);
    if (outcome === "aborted" || signal?.aborted) throw new CancelledError(`cancelled while waiting for lock ${path}`);
  } finally {
    stop.abort();
    signal?.removeEventListener("abort", abort);
  }
}

async function acquire(path: string, staleMs: number, deadline: number, signal?: AbortSignal): Promise<Owner> {
  const owner: Owner = { pid: process.pid, hostname: hostname(), time: Date.now(), id: randomUUID() };
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw new CancelledError(`cancelled while waiting for lock ${path}`);
    try {
      await mkdir(path);
      try {
        await writeOwner(path, { ...owner, time: Date.now() });
      } catch (error) {
        await rm(path, { recursive: true, force: true });
        throw error;
      }
      return owner;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readOwner(path);
    if (await isStale(path, holder, staleMs)) {
      await breakLock(path, holder);
      continue;
    }
    if (Date.now() >= deadline) throw timeoutError(path, holder);
    const delay = Math.min(250, 20 * 1.5 ** Math.min(attempt, 8)) * (0.5 + Math.random());
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())), undefined, signal ? { signal } : {}).catch(() => undefined);
  }
}

async function isStale(path: string, holder: Owner | null, staleMs: number): Promise<boolean> {
  if (holder && holder.hostname === hostname()) {
    // Our own pid can only be a previous incarnation (e.g. pid 1 in a restarted container): in-process
    // callers queue before they ever reach the lock directory.
    if (holder.pid === process.pid || !isPidAlive(holder.pid)) return true;
  }
  const time = holder?.time ?? (await stat(path).catch(() => null))?.mtimeMs;
  return time !== undefined && Date.now() - time > staleMs;
}

function isPidAlive(pid: number): boolean {
  try {
    return process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Moves the lock aside before deleting it, and puts it back if a new owner took it meanwhile. */
async function breakLock(path: string, holder: Owner | null): Promise<void> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke or released it first
  }
  const moved = await readOwner(aside);
  if (moved && moved.id !== holder?.id) {
    await rename(aside, path).catch(() => undefined);
    return;
  }
  await rm(aside, { recursive: true, force: true });
}

/** Bumps the lock's time while it is still ours, so a long holder is not taken for stale. */
async function refresh(path: string, owner: Owner): Promise<void> {
  if ((await readOwner(path))?.id !== owner.id) return;
  await writeOwner(path, { ...owner, time: Date.now() }).catch(() => undefined);
}

async function release(path: string, owner: Owner): Promise<void> {
  const current = await readOwner(path);
  if (current?.id === owner.id) await rm(path, { recursive: true, force: true });
}

async function writeOwner(path: string, owner: Owner): Promise<void> {
  const temp = join(path, `owner.json.${owner.id}.tmp`);
  await writeFile(temp, `${JSON.stringify(owner)}\n`);
  await rename(temp, join(path, "owner.json"));
}

async function readOwner(path: string): Promise<Owner | null> {
  try {
    const o = JSON.parse(await readFile(join(path, "owner.json"), "utf8")) as Partial<Record<keyof Owner, unknown>> | null;
    if (typeof o?.pid !== "number" || typeof o.hostname !== "string" || typeof o.time !== "number") return null;
    return { pid: o.pid, hostname: o.hostname, time: o.time, id: typeof o.id === "string" ? o.id : "" };
  } catch {
    return null;
  }
}

function timeoutError(path: string, holder: Owner | null): Error {
  const by = holder ? ` (held by pid ${holder.pid} on ${holder.hostname} since ${new Date(holder.time).toISOString()})` : "";
  return new Error(`timed out waiting for lock ${path}${by}`);
}
