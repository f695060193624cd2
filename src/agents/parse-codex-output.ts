import { z } from "zod";
import { EMPTY_AGENT_REPORT, type AgentReport } from "./agent-report.js";
import { jsonEvents } from "./json-events.js";

const count = z.number().nonnegative().optional().catch(undefined);
const text = z.string().optional().catch(undefined);

const eventSchema = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("turn.completed"),
    usage: z.looseObject({ input_tokens: count, cached_input_tokens: count, output_tokens: count }).optional().catch(undefined),
  }),
  z.looseObject({ type: z.literal("turn.failed"), error: z.looseObject({ message: text }).optional().catch(undefined) }),
  z.looseObject({ type: z.literal("error"), message: text }),
  z.looseObject({ type: z.literal("item.completed"), item: z.looseObject({ type: z.string(), text }) }),
]);

/**
 * Reads `codex exec --json` JSONL. Tokens are summed over `turn.completed` events (input and
 * output; cached input is part of input). A `turn.failed` or `error` not followed by a
 * `turn.completed` is an error: codex retries after transient errors. Codex reports no cost.
 */
export function parseCodexOutput(stdout: string): AgentReport {
  const events = jsonEvents(stdout, eventSchema);
  if (events === null) return { ...EMPTY_AGENT_REPORT };
  let tokens: number | null = null;
  let error: string | null = null;
  let lastMessage: string | null = null;
  for (const event of events) {
    if (event.type === "turn.completed") {
      error = null;
      const usage = event.usage;
      if (usage) tokens = (tokens ?? 0) + (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0);
    } else if (event.type === "turn.failed") {
      error = event.error?.message ?? "turn failed";
    } else if (event.type === "error") {
      error = event.message ?? "error";
    } else if (event.item.type === "agent_message" && event.item.text !== undefined) {
      lastMessage = event.item.text;
    }
  }
  return { isError: error !== null, message: error ?? lastMessage, tokens, costUsd: null };
}
