import type { RunSpec } from "../config/repo-config.js";
import { runCommand } from "../evals/run-command.js";

/** Runs the repo's `setup` commands in order; returns why the first failing one failed, or null. */
export async function runSetup(
  steps: readonly RunSpec[],
  options: { cwd: string; env: Record<string, string>; logFile: string; timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<string | null> {
  for (const step of steps) {
    const label = Array.isArray(step) ? step.join(" ") : step;
    const result = await runCommand(step, { ...options });
    if (result.aborted) return "cancelled during setup";
    if (result.timedOut) return `setup \`${label}\` timed out`;
    if (result.spawnError) return `setup \`${label}\` could not start: ${result.spawnError}`;
    if (result.exitCode !== 0) return `setup \`${label}\` failed with exit code ${result.exitCode ?? result.signal}`;
  }
  return null;
}
