import { appendFile } from "node:fs/promises";
import type { EvalSpec, RunSpec } from "../config/repo-config.js";
import { CancelledError } from "../errors.js";
import type { ProcessSandbox } from "../process/process-sandbox.js";
import type { EvalResult } from "../model/race-report.js";
import { runEval } from "./run-eval.js";

export interface RunEvalsInput {
  evals: readonly EvalSpec[];
  /** The lane's worktree. */
  cwd: string;
  /** The complete environment for every eval. */
  env: Record<string, string>;
  /** The lane's log: a header per eval, its output, then a result line. */
  logFile: string;
  signal?: AbortSignal | undefined;
  /** The lane sandbox every eval runs in (absent: unsandboxed). */
  sandbox?: ProcessSandbox | undefined;
}

/** Runs a lane's evals one after another in its worktree. Throws CancelledError when aborted. */
export async function runEvals(input: RunEvalsInput): Promise<EvalResult[]> {
  const results: EvalResult[] = [];
  for (const spec of input.evals) {
    if (input.signal?.aborted) throw new CancelledError("cancelled before running evals");
    await appendFile(input.logFile, `== eval ${spec.name}: ${describeRun(spec.run)}\n`);
    const result = await runEval(spec, input);
    const counts = `${result.passed_count} passed, ${result.failed_count} failed`;
    const note = result.note === null ? "" : ` (${result.note})`;
    await appendFile(input.logFile, `== eval ${spec.name}: ${result.passed ? "passed" : "failed"}, ${counts}, score ${result.score.toFixed(2)}${note}\n`);
    results.push(result);
  }
  return results;
}

function describeRun(run: RunSpec): string {
  return typeof run === "string" ? run : run.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ");
}
