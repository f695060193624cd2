import { invalidCommand } from "./invalid-command.js";
import type { ParseCommandOptions, ParseOutcome } from "./parse-outcome.js";
import { sanitizeTaskText } from "./sanitize-task-text.js";
import { inertCodeSpan } from "./inert-code-span.js";

/**
 * Reads `/revise` text: everything after the command word, across lines. A leading `with <agent>`
 * picks the agent. That is strict on purpose: after `with` the next word must be a known agent,
 * so a typo such as `with cluade` is an error rather than instructions for the wrong agent.
 * The instructions are sanitised like issue text, and must not be empty afterwards.
 */
export function parseReviseArgs(text: string, options: ParseCommandOptions): ParseOutcome {
  let agent: string | null = null;
  let rest = text;
  const withMatch = /^\s*with(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(text);
  if (withMatch) {
    const name = withMatch[1];
    if (name === undefined) return invalid("`with` needs an agent name, as in `/revise with codex add tests`");
    if (!options.knownAgents.includes(name)) {
      const known = options.knownAgents.map((a) => `\`${a}\``).join(", ");
      return invalid(`unknown agent ${inertCodeSpan(name)}; known agents: ${known}`);
    }
    agent = name;
    rest = withMatch[2] ?? "";
  }
  const instructions = sanitizeTaskText(rest).trim();
  if (instructions === "") return invalid("say what to change, as in `/revise rename the flag to --dry-run`");
  return { kind: "command", command: { kind: "revise", agent, instructions } };
}

function invalid(message: string): ParseOutcome {
  return invalidCommand("revise", `/revise: ${message}`);
}
