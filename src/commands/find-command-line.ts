import type { CommandName } from "./command.js";

export interface CommandLine {
  name: CommandName;
  /** The rest of the command's own line, after the command word. */
  args: string;
  /** Every line after the command's line, joined with `\n`. */
  following: string;
}

const COMMAND_NAMES: ReadonlySet<string> = new Set<CommandName>(["race", "pick", "cancel", "retry", "help", "revise"]);

/**
 * Finds the command a comment starts with, or null. Only the first non-blank line can hold a
 * command, so a command inside a fenced code block, a `>` quote, an HTML comment or later in
 * the comment never counts (the first line there is the fence, the quote or `<!--`).
 *
 * - Up to three leading spaces are allowed, as in Markdown; four spaces or a tab make an
 *   indented code block, so that is not a command either.
 * - The command word ends at whitespace: `/racecar`, `/race-x` and `/race;` are not commands.
 * - Matching is case-sensitive: `/RACE` is not a command. GitHub shows text as typed, and a
 *   strict grammar keeps look-alike text in pasted logs or quotes from starting a race.
 */
export function findCommandLine(body: string): CommandLine | null {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const index = lines.findIndex((line) => line.trim() !== "");
  if (index === -1) return null;
  const match = /^ {0,3}\/(\S+)(.*)$/.exec(lines[index] ?? "");
  const name = match?.[1];
  if (name === undefined || !COMMAND_NAMES.has(name)) return null;
  return { name: name as CommandName, args: match?.[2] ?? "", following: lines.slice(index + 1).join("\n") };
}
