import { z } from "zod";
import { EMPTY_AGENT_REPORT, type AgentReport } from "./agent-report.js";
import { jsonEvents } from "./json-events.js";

const count = z.number().nonnegative().optional().catch(undefined);
const text = z.string().optional().catch(undefined);

const tokensSchema = z.looseObject({
  total: count,
  input: count,
  output: count,
  reasoning: count,
  cache: z.looseObject({ read: count, write: count }).optional().catch(undefined),
});

const eventSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("step_finish"), part: z.looseObject({ tokens: tokensSchema.optional().catch(undefined), cost: count }) }),
  z.looseObject({ type: z.literal("text"), part: z.looseObject({ text }) }),
  z.looseObject({
    type: z.literal("tool_use"),
    part: z.looseObject({ tool: z.string().max(200), state: z.looseObject({ status: text, error: text }).optional().catch(undefined) }),
  }),
  z.looseObject({
    type: z.literal("error"),
    error: z
      .looseObject({ name: text, message: text, data: z.looseObject({ message: text, statusCode: count }).optional().catch(undefined) })
      .optional()
      .catch(undefined),
  }),
]);
type OpencodeEvent = z.output<typeof eventSchema>;

/**
 * Reads `opencode run --format json` JSONL. Tokens and cost are summed over `step_finish` events
 * (one per model turn): input, output, reasoning and cache reads and writes, which together are
 * what the API served. Cost is null when no step priced anything (opencode prices a custom
 * provider's models at 0). An `error` event (opencode exits 1 after it) not followed by another
 * step is an error; the final message is the last `text` part.
 */
export function parseOpencodeOutput(stdout: string): AgentReport {
  const events = jsonEvents(stdout, eventSchema);
  if (events === null) return { ...EMPTY_AGENT_REPORT };
  let tokens: number | null = null;
  let cost = 0;
  let error: string | null = null;
  let lastMessage: string | null = null;
  for (const event of events) {
    if (event.type === "step_finish") {
      error = null;
      const stepTokens = sumTokens(event.part.tokens);
      if (stepTokens !== null) tokens = (tokens ?? 0) + stepTokens;
      cost += event.part.cost ?? 0;
    } else if (event.type === "text") {
      if (event.part.text !== undefined && event.part.text.trim() !== "") lastMessage = event.part.text;
    } else if (event.type === "error") {
      error = errorMessage(event);
    }
  }
  return { isError: error !== null, message: error ?? lastMessage, tokens, costUsd: cost > 0 ? cost : null };
}

/** The tools whose calls opencode's permission rules rejected in the run (`run` rejects every "ask"), in order. */
export function opencodePermissionRejections(stdout: string): string[] {
  return (jsonEvents(stdout, eventSchema) ?? []).flatMap((event) =>
    event.type === "tool_use" && event.part.state?.status === "error" && /rejected permission/i.test(event.part.state.error ?? "") ? [event.part.tool] : [],
  );
}

function sumTokens(tokens: z.output<typeof tokensSchema> | undefined): number | null {
  if (!tokens) return null;
  const parts = [tokens.input, tokens.output, tokens.reasoning, tokens.cache?.read, tokens.cache?.write];
  if (parts.every((part) => part === undefined)) return tokens.total ?? null;
  return parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
}

function errorMessage(event: Extract<OpencodeEvent, { type: "error" }>): string {
  const message = event.error?.data?.message ?? event.error?.message ?? event.error?.name ?? "error";
  const status = event.error?.data?.statusCode;
  return status !== undefined && !message.includes(String(status)) ? `${message} (HTTP ${status})` : message;
}
