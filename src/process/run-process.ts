import { execa } from "execa";
import { CappedLog } from "./capped-log.js";
import { killProcessTree } from "./kill-process-tree.js";
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
  /** Time between SIGTERM and SIGKILL when the process is stopped. */
  killGraceMs?: number | undefined;
  /** Called once the process has started, with its pid (its process group id). */
  onSpawn?: SpawnHook | undefined;
  /** Called with each stdout line as it arrives (e.g. an agent's cost reports while it runs). */
  onStdoutLine?: ((line: string) => void) | undefined;
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
  /** The last 4 KiB of stderr. */
  stderr: string;
  outputTruncated: boolean;
}

const DEFAULT_MAX_LOG = 5 * 1024 * 1024;

/**
 * Runs one process with an argument array (never a shell string), in its own process group,
 * with a wall-clock timeout and an abort signal that both stop the whole process tree.
 */
export async function runProcess(file: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const log = new CappedLog(options.logFile, options.maxLogBytes ?? DEFAULT_MAX_LOG, options.tailBytes ?? 1024 * 1024);
  const errLog = new CappedLog(undefined, 0, 4096);
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    buffer: false,
    reject: false,
    cleanup: true,
    stripFinalNewline: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" as const }),
  });
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
  // Reap anything the process left running in its group.
  if (child.pid !== undefined) killProcessTree(child.pid, "SIGKILL");
  spawned?.();

  const spawnError = result.exitCode === undefined && !result.signal && !timedOut && !aborted ? (result.shortMessage ?? "failed to start") : null;
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
  };
}
