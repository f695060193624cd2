import { readFile, rm, stat } from "node:fs/promises";
import type { EvalSpec } from "../config/repo-config.js";
import { CancelledError } from "../errors.js";
import type { EvalResult } from "../pipeline/race-report.js";
import { judgeEval, type EvalOutcome } from "./judge-eval.js";
import { resolveReportPath } from "./resolve-report-path.js";
import { runCommand } from "./run-command.js";

export interface RunEvalOptions {
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  signal?: AbortSignal | undefined;
}

const MAX_REPORT_BYTES = 64 * 1024 * 1024;
const TAP_TAIL_BYTES = 16 * 1024 * 1024;

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
      await rm(await resolveReportPath(options.cwd, junitPath), { force: true });
    } catch (error) {
      return done({ passed: false, passed_count: 0, failed_count: 0, score: 0, note: error instanceof Error ? error.message : String(error) });
    }
  }
  const result = await runCommand(spec.run, {
    cwd: options.cwd,
    env: options.env,
    timeoutMs: spec.timeout,
    signal: options.signal,
    logFile: options.logFile,
    tailBytes: spec.format.kind === "tap" ? TAP_TAIL_BYTES : undefined,
  });
  if (result.aborted) throw new CancelledError(`cancelled while running eval "${spec.name}"`);
  const report = junitPath !== null && !result.timedOut ? await readReport(options.cwd, junitPath) : null;
  return done(judgeEval(spec, result, report));
}

async function readReport(cwd: string, path: string): Promise<string | Error> {
  try {
    const file = await resolveReportPath(cwd, path);
    const info = await stat(file);
    if (info.size > MAX_REPORT_BYTES) return new Error(`JUnit report ${path} is larger than ${MAX_REPORT_BYTES} bytes`);
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return new Error(`no JUnit report at ${path}`);
    return error instanceof Error ? error : new Error(String(error));
  }
}
