import { z } from "zod";
import { EMPTY_AGENT_REPORT, type AgentReport } from "./agent-report.js";
import { tryJson } from "./try-json.js";

const count = z.number().nonnegative().optional().catch(undefined);
const text = z.string().optional().catch(undefined);

const errorSchema = z.looseObject({ type: z.unknown().optional(), message: text, code: z.unknown().optional() }).optional().catch(undefined);

/** `stats` of a stream-json `result` event: totals over every model the run used (the router's too). */
const streamStatsSchema = z.looseObject({ total_tokens: count, input_tokens: count, output_tokens: count }).optional().catch(undefined);

const eventSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("result"), status: text, error: errorSchema, stats: streamStatsSchema }),
  z.looseObject({ type: z.literal("message"), role: text, content: text, delta: z.boolean().optional().catch(undefined) }),
  z.looseObject({ type: z.literal("error"), severity: text, message: text }),
  z.looseObject({ type: z.literal("tool_use") }),
  z.looseObject({ type: z.literal("tool_result") }),
]);

/** The `--output-format json` object: `response` and per-model `stats.models.<name>.tokens`, or `error`. */
const jsonOutputSchema = z.looseObject({
  response: text,
  error: errorSchema,
  stats: z
    .looseObject({
      models: z.record(z.string(), z.looseObject({ tokens: z.looseObject({ total: count, prompt: count, candidates: count, thoughts: count, tool: count }).optional().catch(undefined) })).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

/**
 * Reads Gemini CLI's headless output: `--output-format stream-json` (JSONL: init, message,
 * tool_use, tool_result, error, and a last `result` whose `status` is "success" or "error"), or
 * the single object of `--output-format json`. Tokens are the run's `total_tokens` (prompt,
 * candidates and thoughts of every model call, the auto-router's included). Gemini reports no
 * cost. An API error's message is the API's own (`API key not valid. …`), with its status.
 */
export function parseGeminiOutput(stdout: string): AgentReport {
  const whole = tryJson(stdout.trim());
  const single = whole !== undefined && !("type" in (whole as object)) ? jsonOutputSchema.safeParse(whole) : undefined;
  if (single?.success) return fromJsonOutput(single.data);

  let sawEvent = false;
  let result: Extract<z.output<typeof eventSchema>, { type: "result" }> | null = null;
  let reply = "";
  let lastError: string | null = null;
  for (const line of stdout.split("\n")) {
    const parsed = eventSchema.safeParse(tryJson(line.trim()));
    if (!parsed.success) continue;
    sawEvent = true;
    const event = parsed.data;
    if (event.type === "result") result = event;
    else if (event.type === "message" && event.role === "assistant") reply = event.delta === true ? reply + (event.content ?? "") : (event.content ?? "");
    else if (event.type === "tool_use" || event.type === "tool_result") reply = "";
    else if (event.type === "error" && event.message) lastError = event.message;
  }
  if (!sawEvent) return { ...EMPTY_AGENT_REPORT };
  if (!result) return { isError: false, message: lastError ?? (reply || null), tokens: null, costUsd: null };
  const isError = result.status !== "success";
  const tokens = result.stats?.total_tokens ?? sumDefined(result.stats?.input_tokens, result.stats?.output_tokens);
  const message = isError ? (apiErrorMessage(result.error?.message) ?? result.status ?? "error") : reply.trim() || null;
  return { isError, message, tokens, costUsd: null };
}

function fromJsonOutput(output: z.output<typeof jsonOutputSchema>): AgentReport {
  const models = Object.values(output.stats?.models ?? {});
  const tokens = models.length === 0 ? null : models.reduce((sum, m) => sum + (m.tokens?.total ?? (m.tokens?.prompt ?? 0) + (m.tokens?.candidates ?? 0) + (m.tokens?.thoughts ?? 0) + (m.tokens?.tool ?? 0)), 0);
  if (output.error) return { isError: true, message: apiErrorMessage(output.error.message) ?? "error", tokens, costUsd: null };
  return { isError: false, message: output.response?.trim() || null, tokens, costUsd: null };
}

const googleErrorSchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional().catch(undefined),
    message: z.string(),
    status: text,
    details: z.array(z.looseObject({ reason: text })).optional().catch(undefined),
  }),
});

/**
 * The readable part of an API error as Gemini CLI passes it on: `[API Error: {"error":{"code":400,
 * "message":"API key not valid. …","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}]`
 * becomes `API key not valid. … (400 INVALID_ARGUMENT, API_KEY_INVALID)`. Other messages pass as they are.
 */
function apiErrorMessage(message: string | undefined): string | null {
  if (!message) return null;
  const start = message.indexOf("{");
  const parsed = start >= 0 ? googleErrorSchema.safeParse(tryJson(message.slice(start, message.lastIndexOf("}") + 1))) : undefined;
  if (!parsed?.success) return message.trim().slice(0, 500);
  const { code, message: text, status, details } = parsed.data.error;
  const reasons = (details ?? []).map((detail) => detail.reason).filter((reason): reason is string => !!reason);
  const what = [[code, status].filter((part) => part !== undefined).join(" "), ...reasons].filter(Boolean).join(", ");
  return what ? `${text} (${what})` : text;
}

function sumDefined(...parts: (number | undefined)[]): number | null {
  return parts.every((part) => part === undefined) ? null : parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
}
