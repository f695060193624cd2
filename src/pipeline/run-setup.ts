import type { RunSpec } from "../config/repo-config.js";
import { runCommand } from "../process/run-command.js";
import type { ProcessSandbox } from "../process/process-sandbox.js";

/** Why setup failed: `limit` when a step hit the lane sandbox's memory or process cap. */
export interface SetupFailure {
  note: string;
  status: "error" | "limit";
}

/** Runs the repo's `setup` commands in order; returns why the first failing one failed, or null. */
export async function runSetup(
  steps: readonly RunSpec[],
  options: { cwd: string; env: Record<string, string>; logFile: string; timeoutMs: number; signal?: AbortSignal | undefined; sandbox?: ProcessSandbox | undefined },
): Promise<SetupFailure | null> {
  for (const step of steps) {
    const label = Array.isArray(step) ? step.join(" ") : step;
    const result = await runCommand(step, { ...options });
    const error = (note: string): SetupFailure => ({ note, status: "error" });
    if (result.aborted) return error("cancelled during setup");
    if (result.limit) return { note: `setup \`${label}\` hit the lane's ${result.limit === "memory" ? "memory" : "process"} cap and was stopped`, status: "limit" };
    if (result.timedOut) return error(`setup \`${label}\` timed out`);
    if (result.spawnError) return error(`setup \`${label}\` could not start: ${result.spawnError}`);
    if (result.exitCode !== 0) return error(`setup \`${label}\` failed with exit code ${result.exitCode ?? result.signal}`);
  }
  return null;
}
