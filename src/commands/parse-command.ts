import { findCommandLine } from "./find-command-line.js";
import { invalidCommand } from "./invalid-command.js";
import type { ParseCommandOptions, ParseOutcome } from "./parse-outcome.js";
import { parseRaceArgs } from "./parse-race-args.js";
import { parseReviseArgs } from "./parse-revise-args.js";
import { parseWholeNumber } from "./parse-whole-number.js";
import { tokenizeArgs } from "./tokenize-args.js";

/**
 * Reads a maintainer's comment. A command is the first non-blank line of the comment (see
 * `findCommandLine`); for `/revise` the lines after it are the instructions, for every other
 * command they are ignored. Pure: the caller checks who sent it, and replies to `invalid`.
 */
export function parseCommand(body: string, options: ParseCommandOptions): ParseOutcome {
  const line = findCommandLine(body);
  if (!line) return { kind: "none" };
  const { name } = line;
  if (name === "revise") return parseReviseArgs(`${line.args}\n${line.following}`, options);

  const tokenized = tokenizeArgs(line.args);
  if (!tokenized.ok) return invalidCommand(name, `/${name}: ${tokenized.error}`);
  const { tokens } = tokenized;

  switch (name) {
    case "race":
      return parseRaceArgs(tokens, options);
    case "pick":
    case "retry":
      return parseLaneArg(name, tokens, options.maxLanes);
    case "cancel":
    case "help":
      if (tokens.length > 0) return invalidCommand(name, `/${name}: takes no arguments`);
      return { kind: "command", command: { kind: name } };
  }
}

function parseLaneArg(name: "pick" | "retry", tokens: readonly string[], maxLanes: number): ParseOutcome {
  const [token, ...extra] = tokens;
  if (token === undefined) return invalidCommand(name, `/${name}: needs a lane number, as in \`/${name} 2\``);
  if (extra.length > 0) return invalidCommand(name, `/${name}: takes one lane number and nothing else`);
  const lane = parseWholeNumber(token, maxLanes);
  if (lane === null) return invalidCommand(name, `/${name}: the lane must be a number between 1 and ${maxLanes}`);
  return { kind: "command", command: { kind: name, lane } };
}
