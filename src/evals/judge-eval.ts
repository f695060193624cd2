import type { EvalSpec } from "../config/repo-config.js";
import type { EvalResult } from "../model/race-report.js";
import type { ProcessResult } from "../process/run-process.js";
import { parseJsonScore } from "./parse-json-score.js";
import { parseJunit } from "./parse-junit.js";
import { parseTap } from "./parse-tap.js";
import type { TestCounts } from "./test-counts.js";

export type EvalOutcome = Pick<EvalResult, "passed" | "passed_count" | "failed_count" | "score" | "note">;

/**
 * What the caller learned beside the process result: for `junit`, the report's text or its
 * counts (parsed off the event loop), or the error met reading or parsing it; for `tap`, the
 * counts taken from stdout while it streamed (null: parse `result.stdout`). Null otherwise.
 */
export type EvalReport = string | TestCounts | Error | null;

/** Turns a finished eval process into its outcome. Pure: the caller reads the file. */
export function judgeEval(spec: EvalSpec, result: ProcessResult, report: EvalReport): EvalOutcome {
  const failCount = spec.format.kind === "exit-code" ? 1 : 0;
  if (result.limit) return failure(`stopped: hit the lane's ${result.limit === "memory" ? "memory" : "process"} cap`, failCount);
  if (result.timedOut) return failure(`timed out after ${seconds(spec.timeout)}`, failCount);
  if (result.spawnError !== null) return failure(`could not start: ${result.spawnError}`, failCount);
  const exitOk = result.exitCode === 0;
  const exitNote = exitOk ? null : result.exitCode !== null ? `exited with code ${result.exitCode}` : `killed by ${result.signal ?? "a signal"}`;
  const format = spec.format;
  switch (format.kind) {
    case "exit-code":
      return exitOk ? { passed: true, passed_count: 1, failed_count: 0, score: 1, note: null } : failure(exitNote, 1);
    case "junit": {
      if (report === null || report instanceof Error) {
        const why = report?.message ?? `no JUnit report at ${format.path}`;
        return failure(exitNote ? `${why}; ${exitNote}` : why, 0);
      }
      if (typeof report !== "string") return fromCounts(report, exitNote);
      try {
        return fromCounts(parseJunit(report), exitNote);
      } catch (error) {
        return failure(`bad JUnit report ${format.path}: ${messageOf(error)}`, 0);
      }
    }
    case "tap":
      return fromCounts(report !== null && typeof report === "object" && !(report instanceof Error) ? report : parseTap(result.stdout), exitNote);
    case "json": {
      try {
        const { score, passed, failed } = parseJsonScore(result.stdout);
        const belowMin = score < spec.min_score ? `score ${score} is below min_score ${spec.min_score}` : null;
        return { passed: exitOk && belowMin === null, passed_count: passed, failed_count: failed, score, note: exitNote ?? belowMin };
      } catch (error) {
        return failure(exitNote ? `${messageOf(error)}; ${exitNote}` : messageOf(error), 0);
      }
    }
  }
}

function fromCounts(counts: TestCounts, exitNote: string | null): EvalOutcome {
  const total = counts.passed + counts.failed;
  const passed = exitNote === null && counts.failed === 0;
  const note = counts.failed > 0 ? null : (exitNote ?? (total === 0 ? "no tests ran" : null));
  return { passed, passed_count: counts.passed, failed_count: counts.failed, score: total > 0 ? counts.passed / total : 0, note };
}

function failure(note: string | null, failedCount: number): EvalOutcome {
  return { passed: false, passed_count: 0, failed_count: failedCount, score: 0, note };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
