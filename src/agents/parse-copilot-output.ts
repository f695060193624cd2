import { z } from "zod";
import { EMPTY_AGENT_REPORT, type AgentReport } from "./agent-report.js";
import { jsonEvents } from "./json-events.js";

const text = z.string().optional().catch(undefined);

const eventSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("result"), exitCode: z.number().optional().catch(undefined) }),
  z.looseObject({ type: z.literal("assistant.message"), data: z.looseObject({ content: text }).optional().catch(undefined) }),
  z.looseObject({ type: z.literal("session.error"), data: z.looseObject({ errorType: text, message: text }).optional().catch(undefined) }),
  z.looseObject({ type: z.literal("abort"), data: z.looseObject({ reason: text }).optional().catch(undefined) }),
]);

/**
 * Reads Copilot CLI's `--output-format json` JSONL (recorded from 1.0.102: session.*, user.message,
 * assistant.turn_start/turn_end, assistant.message, tool.execution_*, model.call_* events, and a
 * last `result` with `exitCode` and `usage`). A `session.error` (e.g. errorType "authentication"),
 * an `abort` or a non-zero `exitCode` is a failure. The message is the error's first line, else the
 * last assistant message with text. Copilot's JSONL carries no token counts (`result.usage` holds
 * premium requests and durations; tokens go only to `--usage-output-file`) and no cost in dollars:
 * both are null, and the lane shows its wall time.
 */
export function parseCopilotOutput(stdout: string): AgentReport {
  const events = jsonEvents(stdout, eventSchema);
  if (events === null) return { ...EMPTY_AGENT_REPORT };
  let exitCode: number | undefined;
  let error: string | null = null;
  let lastMessage: string | null = null;
  for (const event of events) {
    if (event.type === "result") exitCode = event.exitCode;
    else if (event.type === "assistant.message") {
      const content = event.data?.content?.trim();
      if (content) lastMessage = content;
    } else if (event.type === "session.error") {
      error = event.data?.message?.split("\n")[0]?.trim() || event.data?.errorType || "session error";
    } else {
      error ??= `aborted${event.data?.reason ? ` (${event.data.reason})` : ""}`;
    }
  }
  const isError = error !== null || (exitCode !== undefined && exitCode !== 0);
  return { isError, message: error ?? lastMessage, tokens: null, costUsd: null };
}
