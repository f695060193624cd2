import { invalidCommand } from "./invalid-command.js";
import type { ParseCommandOptions, ParseOutcome } from "./parse-outcome.js";
import { parseWholeNumber } from "./parse-whole-number.js";
import { sanitizeTaskText } from "./sanitize-task-text.js";
import { inertCodeSpan } from "./inert-code-span.js";

const MAX_APPROACH_CHARS = 500;

/**
 * Reads `/race` arguments: an optional lane count, agent names and `--approach` hints, in any
 * order. With a lane count, agents and approaches must fit in it; without one, the race gets
 * one lane per agent or approach, whichever is more (or the config's default when neither).
 */
export function parseRaceArgs(tokens: readonly string[], options: ParseCommandOptions): ParseOutcome {
  const { knownAgents, maxLanes } = options;
  let lanes: number | null = null;
  const agents: string[] = [];
  const approaches: string[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    if (token === "--approach" || token.startsWith("--approach=")) {
      const raw = token === "--approach" ? tokens[++i] : token.slice("--approach=".length);
      if (raw === undefined) return invalid("`--approach` needs a value, as in `--approach \"try a cache\"`");
      const approach = cleanApproach(raw);
      if (approach === "") return invalid("an `--approach` is empty");
      if ([...approach].length > MAX_APPROACH_CHARS) {
        return invalid(`an \`--approach\` is longer than ${MAX_APPROACH_CHARS} characters`);
      }
      approaches.push(approach);
    } else if (token.startsWith("-") && !looksNumeric(token)) {
      return invalid(`unknown option ${inertCodeSpan(token)}; the only option is \`--approach\``);
    } else if (looksNumeric(token)) {
      if (lanes !== null) return invalid(`the lane count is given twice (${lanes} and ${inertCodeSpan(token)})`);
      lanes = parseWholeNumber(token, maxLanes);
      if (lanes === null) {
        const shown = token.length > 12 ? `${token.slice(0, 12)}…` : token;
        return invalid(`/race ${shown}: lanes must be between 1 and ${maxLanes}`);
      }
    } else if (knownAgents.includes(token)) {
      agents.push(token);
    } else if (/^[A-Za-z][A-Za-z0-9_-]*$/.test(token)) {
      return invalid(`unknown agent ${inertCodeSpan(token)}; known agents: ${knownAgents.map((a) => `\`${a}\``).join(", ")}`);
    } else {
      return invalid(
        `unexpected ${inertCodeSpan(token)}: arguments are a lane count, agent names and \`--approach "…"\` (nothing in a comment is ever run as a command)`,
      );
    }
  }

  if (lanes !== null) {
    if (agents.length > lanes) return invalid(`${agents.length} agents named for ${lanes} lanes`);
    if (approaches.length > lanes) return invalid(`${approaches.length} approaches given for ${lanes} lanes`);
  } else {
    const derived = Math.max(agents.length, approaches.length);
    if (derived > maxLanes) return invalid(`${derived} lanes asked for; the most is ${maxLanes}`);
    if (derived > 0) lanes = derived;
  }
  return { kind: "command", command: { kind: "race", lanes, agents, approaches } };
}

function invalid(message: string): ParseOutcome {
  return invalidCommand("race", message.startsWith("/race") ? message : `/race: ${message}`);
}

/** Whether a token is a number (`3`, `-1`, `+2`, `2.5`, `1e3`), valid as a lane count or not. */
function looksNumeric(token: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token);
}

/** Approach hints go into the agent's prompt: hidden text out, one line, no control characters. */
function cleanApproach(raw: string): string {
  return sanitizeTaskText(raw).replace(/\s+/g, " ").trim();
}
