import type { Command } from "./command.js";

/**
 * The result of reading a comment: not a command at all, a command, or a command with
 * a mistake (`error` and `usage` are Markdown for the reply; user text in them is in code spans).
 */
export type ParseOutcome =
  | { kind: "none" }
  | { kind: "command"; command: Command }
  | { kind: "invalid"; error: string; usage: string };

export interface ParseCommandOptions {
  /** Agent names a comment may ask for: the repo config's agents plus the built-in presets. */
  knownAgents: readonly string[];
  /** Upper bound on lanes in one race (`max_lanes`). */
  maxLanes: number;
}
