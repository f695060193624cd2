import { execa } from "execa";
import { CappedLog } from "./capped-log.js";
import type { ProcessSandbox, ResourceLimit, WrappedCommand } from "./process-sandbox.js";
import { killProcessGroup, killProcessTree } from "./kill-process-tree.js";
import { LineSplitter } from "./line-splitter.js";

export interface RunProcessOptions {
  cwd: string;
  /** The complete environment: nothing from the parent process is inherited. */
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Text written to stdin; stdin is closed (empty) when absent. */
  input?: string | undefined;
  /** Where stdout and stderr are appended; output is only kept in memory when absent. */
  logFile?: string | undefined;
  maxLogBytes?: number | undefined;
  /** How much of stdout's end is kept in memory for parsing. */
  tailBytes?: number | undefined;
  /** How much of stderr's end is kept in memory; default 4 KiB. */
  stderrTailBytes?: number | undefined;
  /** Time between SIGTERM and SIGKILL when the process is stopped. */
  killGraceMs?: number | undefined;
  /** Called once the process has started, with its pid (its process group id). */
  onSpawn?: SpawnHook | undefined;
  /** Called with each stdout line as it arrives (e.g. an agent's cost reports while it runs). */
  onStdoutLine?: ((line: string) => void) | undefined;
  /** Runs the process inside this sandbox (src/sandbox/); absent: directly. */
  sandbox?: ProcessSandbox | undefined;
}

/** Learns a started process's pid; what it returns runs once the process has exited and its group was reaped. */
export type SpawnHook = (pid: number) => (() => void) | undefined;

export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the process could not be started at all (e.g. command not found). */
  spawnError: string | null;
  durationMs: number;
  /** The last `tailBytes` of stdout. */
  stdout: string;
  /** The last `stderrTailBytes` (4 KiB) of stderr. */
  stderr: string;
  outputTruncated: boolean;
  /** A sandbox cap the process tree hit (it was killed for it). */
  limit: ResourceLimit | null;
  /** What the sandbox has to say about the run, e.g. refused network access. */
  sandboxNotes: string[];
}

const DEFAULT_MAX_LOG = 5 * 1024 * 1024;

/**
 * Runs one process with an argument array (never a shell string), in its own process group,
 * with a wall-clock timeout and an abort signal that both stop the whole process tree.
 */
export async function runProcess(file: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const log = new CappedLog(options.logFile, options.maxLogBytes ?? DEFAULT_MAX_LOG, options.tailBytes ?? 1024 * 1024);
  const errLog = new CappedLog(undefined, 0, options.stderrTailBytes ?? 4096);
  let wrapped: WrappedCommand | null = null;
  try {
    wrapped = options.sandbox ? await options.sandbox.wrap({ file, args, env: options.env, cwd: options.cwd }) : null;
  } catch (error) {
    return notStarted(file, `the sandbox could not be prepared: ${(error as Error).message}`, log, started);
  }
  const extra = Array.from({ length: wrapped?.extraPipes ?? 0 }, () => "pipe" as const);
  const child = execa(wrapped?.file ?? file, wrapped?.args ?? args, {
    cwd: wrapped?.cwd ?? options.cwd,
    env: wrapped?.env ?? options.env,
    extendEnv: false,
    detached: true,
    buffer: false,
    reject: false,
    cleanup: true,
    stripFinalNewline: false,
    stdio: [options.input !== undefined ? "pipe" : "ignore", "pipe", "pipe", ...extra],
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  let sandboxError: string | null = null;
  if (wrapped && child.pid !== undefined) {
    const pipes = child.stdio.slice(3) as unknown as NodeJS.ReadWriteStream[];
    try {
      await wrapped.started(child.pid, pipes);
    } catch (error) {
      sandboxError = `the sandbox did not start: ${(error as Error).message}`;
      killProcessTree(child.pid, "SIGKILL");
    }
  }
  const spawned = child.pid !== undefined ? options.onSpawn?.(child.pid) : undefined;
  let timedOut = false;
  let aborted = false;
  let forceTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (child.pid === undefined || forceTimer) return;
    killProcessTree(child.pid, "SIGTERM");
    forceTimer = setTimeout(() => {
      if (child.pid !== undefined) killProcessTree(child.pid, "SIGKILL");
      // A grandchild that escaped may still hold our pipes open; stop waiting for them.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 2000).unref();
    }, options.killGraceMs ?? 2000);
    forceTimer.unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const onAbort = (): void => {
    aborted = true;
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  const lines = options.onStdoutLine ? new LineSplitter(options.onStdoutLine) : null;
  child.stdout?.on("data", (chunk: Buffer) => {
    log.write(chunk, true);
    lines?.write(chunk);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    log.write(chunk, false);
    errLog.write(chunk, true);
  });

  const result = await child;
  lines?.end();
  clearTimeout(timer);
  if (forceTimer) clearTimeout(forceTimer);
  options.signal?.removeEventListener("abort", onAbort);
  // Reap anything the process left running in its group (the sandbox reaps its own tree in `finish`).
  if (child.pid !== undefined) killProcessGroup(child.pid, "SIGKILL");
  const sandboxed = wrapped ? await wrapped.finish() : { limit: null, notes: [] };
  spawned?.();

  const spawnError = sandboxError ?? (result.exitCode === undefined && !result.signal && !timedOut && !aborted ? (result.shortMessage ?? "failed to start") : null);
  if (sandboxed.limit) log.note(`[agent-race: stopped: the lane's ${sandboxed.limit === "memory" ? "memory" : "process"} cap was hit]`);
  for (const note of sandboxed.notes) log.note(`[agent-race: ${note}]`);
  if (timedOut) log.note(`[agent-race: stopped after timeout of ${options.timeoutMs}ms]`);
  if (aborted) log.note("[agent-race: stopped: cancelled]");
  if (spawnError) log.note(`[agent-race: could not start ${file}: ${spawnError}]`);
  await log.close();
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut,
    aborted,
    spawnError,
    durationMs: Math.round(performance.now() - started),
    stdout: log.tailText(),
    stderr: errLog.tailText(),
    outputTruncated: log.truncated,
    limit: sandboxed.limit,
    sandboxNotes: sandboxed.notes,
  };
}

async function notStarted(file: string, reason: string, log: CappedLog, started: number): Promise<ProcessResult> {
  log.note(`[agent-race: could not start ${file}: ${reason}]`);
  await log.close();
  return {
    exitCode: null, signal: null, timedOut: false, aborted: false, spawnError: reason, durationMs: Math.round(performance.now() - started),
    stdout: "", stderr: "", outputTruncated: false, limit: null, sandboxNotes: [],
  };
}
