import type { CommandName } from "./command.js";
import type { ParseOutcome } from "./parse-outcome.js";
import { COMMAND_USAGE } from "./usage.js";

/** An `invalid` outcome for `/name`, with that command's usage for the reply. */
export function invalidCommand(name: CommandName, error: string): ParseOutcome {
  return { kind: "invalid", error, usage: COMMAND_USAGE[name] };
}
