import { z } from "zod";
import { EMPTY_AGENT_REPORT, type AgentReport } from "./agent-report.js";
import { tryJson } from "./try-json.js";

const count = z.number().nonnegative().optional().catch(undefined);

const resultSchema = z.looseObject({
  type: z.literal("result"),
  subtype: z.string().optional().catch(undefined),
  is_error: z.boolean().optional().catch(undefined),
  result: z.string().optional().catch(undefined),
  errors: z.array(z.string()).optional().catch(undefined),
  total_cost_usd: count,
  /** The name older Claude Code versions used for the same total. */
  cost_usd: count,
  usage: z
    .looseObject({
      input_tokens: count,
      output_tokens: count,
      cache_creation_input_tokens: count,
      cache_read_input_tokens: count,
    })
    .optional()
    .catch(undefined),
  /** Tool calls the permission mode refused, e.g. `{ tool_name: "Bash", tool_use_id, tool_input }`. */
  permission_denials: z.array(z.looseObject({ tool_name: z.string().max(200) })).optional().catch(undefined),
});
type ClaudeResult = z.output<typeof resultSchema>;

/**
 * Reads Claude Code's `-p --output-format json` (one result object, or with `--verbose` an array
 * of messages) or `stream-json` (JSONL): the last `type: "result"` object wins. Lines before it
 * are ignored. `is_error` decides failure, whatever `subtype` says.
 */
export function parseClaudeOutput(stdout: string): AgentReport {
  const result = findResult(stdout);
  if (!result) return { ...EMPTY_AGENT_REPORT };
  const isError = result.is_error === true || (result.subtype?.startsWith("error") ?? false);
  const message = result.result ?? (result.errors && result.errors.length > 0 ? result.errors.join("; ") : null) ?? (isError ? (result.subtype ?? null) : null);
  return { isError, message, tokens: sumTokens(result.usage), costUsd: resultCost(result) };
}

/**
 * The run's cost so far from one stdout line, while the agent runs: a `result` event carries the
 * session's cumulative cost (one at the end of `-p`, one per turn with stream-json input).
 */
export function claudeLineCost(line: string): number | null {
  if (!line.includes("cost_usd")) return null;
  const parsed = resultSchema.safeParse(tryJson(line.trim(), { arrays: true }));
  return parsed.success ? resultCost(parsed.data) : null;
}

/** The tools whose calls Claude Code's permission mode refused in the run, in order, once each time they were refused. */
export function claudePermissionDenials(stdout: string): string[] {
  return findResult(stdout)?.permission_denials?.map((denial) => denial.tool_name) ?? [];
}

function resultCost(result: ClaudeResult): number | null {
  return result.total_cost_usd ?? result.cost_usd ?? null;
}

function findResult(stdout: string): ClaudeResult | null {
  const whole = tryJson(stdout.trim(), { arrays: true });
  const candidates: unknown[] = Array.isArray(whole) ? [...whole].reverse() : [whole];
  const lines = stdout.split("\n").reverse();
  for (const candidate of [...candidates, ...lines.map((line) => tryJson(line.trim(), { arrays: true }))]) {
    const parsed = resultSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}

function sumTokens(usage: ClaudeResult["usage"]): number | null {
  if (!usage) return null;
  const parts = [usage.input_tokens, usage.output_tokens, usage.cache_creation_input_tokens, usage.cache_read_input_tokens];
  if (parts.every((part) => part === undefined)) return null;
  return parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
}
