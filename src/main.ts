import { CommanderError } from "commander";
import { createProgram } from "./cli/create-program.js";
import { CancelledError, isUserFacingError } from "./errors.js";

export const EXIT = { ok: 0, noWinner: 1, usage: 2, cancelled: 130 } as const;

/** Runs the CLI and returns the process exit code; users see messages, never stack traces. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = createProgram((value) => {
    code = value;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CancelledError) {
      process.stderr.write(`agent-race: ${error.message}\n`);
      return EXIT.cancelled;
    }
    if (isUserFacingError(error)) {
      process.stderr.write(`agent-race: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`agent-race: unexpected error: ${(error as Error).message ?? String(error)}\n`);
    if (process.env.AGENT_RACE_DEBUG) process.stderr.write(`${(error as Error).stack ?? ""}\n`);
    return EXIT.noWinner;
  }
}
