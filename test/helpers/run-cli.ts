import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";

export const BIN = fileURLToPath(new URL("../../bin/agent-race.js", import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds first) the way a user does, in `cwd`. */
export async function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await startCli(cwd, args, env);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export function startCli(cwd: string, args: string[], env: Record<string, string> = {}): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [BIN, ...args], { cwd, env, reject: false, timeout: 60_000 });
}
