import type { RunSpec } from "../config/repo-config.js";
import { runProcess, type ProcessResult, type RunProcessOptions } from "./run-process.js";

/**
 * Runs a command from the repo's own config (an eval or a `setup` step). A string is a shell
 * line, like a CI step, and is the one place a shell runs; an array is an argv run directly.
 */
export async function runCommand(run: RunSpec, options: RunProcessOptions): Promise<ProcessResult> {
  if (typeof run === "string") return runProcess("/bin/sh", ["-c", run], options);
  const [file, ...args] = run;
  if (file === undefined) throw new Error("empty command");
  return runProcess(file, args, options);
}
