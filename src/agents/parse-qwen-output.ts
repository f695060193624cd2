import { z } from "zod";
import { EMPTY_AGENT_REPORT, type AgentReport } from "./agent-report.js";
import { tryJson } from "./try-json.js";

const count = z.number().nonnegative().optional().catch(undefined);
const text = z.string().optional().catch(undefined);

const resultSchema = z.looseObject({
  type: z.literal("result"),
  subtype: text,
  is_error: z.boolean().optional().catch(undefined),
  result: text,
  /** Qwen Code's prompt tokens include the cached ones (`cache_read_input_tokens` is a part of them). */
  usage: z.looseObject({ input_tokens: count, output_tokens: count, total_tokens: count }).optional().catch(undefined),
  error: z.looseObject({ message: text }).optional().catch(undefined),
  /** Tool calls the approval mode refused, e.g. `{ tool_name: "run_shell_command", tool_use_id, tool_input }`. */
  permission_denials: z.array(z.looseObject({ tool_name: z.string().max(200) })).optional().catch(undefined),
});
type QwenResult = z.output<typeof resultSchema>;

/**
 * Reads Qwen Code's `--output-format json` (one array of messages, the last a `type: "result"`)
 * or `stream-json` (the same messages as JSONL): the last result wins. `is_error` (or an `error_*`
 * subtype) decides failure; the message is then `error.message`, e.g. "[API Error: 401 …]". Tokens
 * are input plus output; Qwen Code reports no cost.
 */
export function parseQwenOutput(stdout: string): AgentReport {
  const result = findResult(stdout);
  if (!result) return { ...EMPTY_AGENT_REPORT };
  const isError = result.is_error === true || (result.subtype?.startsWith("error") ?? false);
  const message = isError ? (result.error?.message ?? result.result ?? result.subtype ?? null) : (result.result ?? null);
  return { isError, message, tokens: sumTokens(result.usage), costUsd: null };
}

/** The tools whose calls the approval mode refused in the run (shell commands under auto-edit), in order. */
export function qwenPermissionDenials(stdout: string): string[] {
  return findResult(stdout)?.permission_denials?.map((denial) => denial.tool_name) ?? [];
}

function findResult(stdout: string): QwenResult | null {
  const whole = tryJson(stdout.trim(), { arrays: true });
  const candidates: unknown[] = Array.isArray(whole) ? [...whole].reverse() : [whole];
  const lines = stdout.split("\n").reverse().map((line) => tryJson(line.trim(), { arrays: true }));
  for (const candidate of [...candidates, ...lines.flatMap((line) => (Array.isArray(line) ? [...line].reverse() : [line]))]) {
    const parsed = resultSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}

function sumTokens(usage: QwenResult["usage"]): number | null {
  if (!usage) return null;
  if (usage.input_tokens === undefined && usage.output_tokens === undefined) return usage.total_tokens ?? null;
  return (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0);
}
