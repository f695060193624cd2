import { rm } from "node:fs/promises";
import type { EvalSpec } from "../config/repo-config.js";
import { CancelledError } from "../errors.js";
import type { ProcessSandbox } from "../process/process-sandbox.js";
import type { EvalResult } from "../model/race-report.js";
import { judgeEval, type EvalOutcome, type EvalReport } from "./judge-eval.js";
import { parseJunitOffThread } from "./parse-junit-off-thread.js";
import { MAX_REPORT_BYTES, readReportFile, REPORT_READ_TIMEOUT_MS } from "./read-report-file.js";
import { resolveReportPath } from "./resolve-report-path.js";
import { runCommand } from "../process/run-command.js";
import { TapCounter } from "./tap-counter.js";

export interface RunEvalOptions {
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  signal?: AbortSignal | undefined;
  sandbox?: ProcessSandbox | undefined;
}


/** Runs one eval in `cwd` with its own timeout and judges it. Throws CancelledError when aborted. */
export async function runEval(spec: EvalSpec, options: RunEvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const done = (outcome: EvalOutcome): EvalResult => ({
    name: spec.name,
    required: spec.required,
    weight: spec.weight,
    duration_ms: Math.round(performance.now() - started),
    ...outcome,
  });
  const junitPath = spec.format.kind === "junit" ? spec.format.path : null;
  if (junitPath !== null) {
    try {
      // A report left by an earlier run must not be mistaken for this run's.
      // Whatever is there (a file, a symlink itself, a FIFO, a directory) goes; its directories stay inside the worktree.
      await rm(await resolveReportPath(options.cwd, junitPath), { force: true, recursive: true });
    } catch (error) {
      return done({ passed: false, passed_count: 0, failed_count: 0, score: 0, note: error instanceof Error ? error.message : String(error) });
    }
  }
  // TAP is counted line by line as it streams: never held whole, never parsed in one blocking go.
  const tap = spec.format.kind === "tap" ? new TapCounter() : null;
  const result = await runCommand(spec.run, {
    cwd: options.cwd,
    env: options.env,
    sandbox: options.sandbox,
    timeoutMs: spec.timeout,
    signal: options.signal,
    logFile: options.logFile,
    onStdoutLine: tap ? (line) => tap.push(line) : undefined,
  });
  if (result.aborted) throw new CancelledError(`cancelled while running eval "${spec.name}"`);
  const report: EvalReport = junitPath !== null && !result.timedOut ? await readJunit(options.cwd, junitPath) : tap?.result() ?? null;
  return done(judgeEval(spec, result, report));
}

/** The report's counts, or the error that makes the eval's note (only a regular file inside the worktree, capped; parsed off the event loop). */
async function readJunit(cwd: string, path: string): Promise<EvalReport> {
  let bytes: Buffer;
  try {
    bytes = await readReportFile(cwd, path, { label: "JUnit report", maxBytes: MAX_REPORT_BYTES, timeoutMs: REPORT_READ_TIMEOUT_MS });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
  try {
    return await parseJunitOffThread(bytes);
  } catch (error) {
    return new Error(`bad JUnit report ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
