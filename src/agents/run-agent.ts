import { writeFile } from "node:fs/promises";
import type { AgentSpec } from "../config/repo-config.js";
import type { ProcessSandbox, ResourceLimit } from "../process/process-sandbox.js";
import { runProcess, type SpawnHook } from "../process/run-process.js";
import { agentEnv } from "./agent-env.js";
import { agentNotes } from "./agent-notes.js";
import type { AgentReport } from "./agent-report.js";
import { parseAgentOutput } from "./parse-agent-output.js";
import { firstErrorLine } from "./first-error-line.js";
import { claudeLineCost } from "./parse-claude-output.js";
import { renderCommand } from "./render-command.js";

export interface RunAgentInput {
  name: string;
  spec: AgentSpec;
  prompt: string;
  /** The lane's worktree: the agent's working directory. */
  cwd: string;
  /** Where the prompt file is written, outside the worktree. */
  promptFile: string;
  logFile: string;
  lane: number;
  port: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  maxLogBytes?: number | undefined;
  /** Learns the agent's process group while it runs (the App records it to kill it if the worker dies). */
  onSpawn?: SpawnHook | undefined;
  /** Called while the agent runs, each time its reported cumulative cost grows (Claude Code's result events). */
  onCost?: ((totalUsd: number) => void) | undefined;
  /** The lane sandbox the agent runs in (absent: unsandboxed). */
  sandbox?: ProcessSandbox | undefined;
  /** Where the agent sees `promptFile` (the sandbox's view of it), for `{prompt_file}`; default `promptFile`. */
  promptFileShown?: string | undefined;
}

export interface AgentRun {
  outcome: "ok" | "error" | "timeout" | "cancelled";
  /** Why the run is not ok, in one line. */
  failure: string | null;
  exitCode: number | null;
  durationMs: number;
  report: AgentReport;
  outputTruncated: boolean;
  /** A sandbox cap the agent hit (it was stopped for it). */
  limit: ResourceLimit | null;
  /** Lines for the lane notes, whatever the outcome: tool calls the agent's permission mode denied, what the sandbox refused. */
  notes: string[];
}

/** Runs one agent CLI in a worktree: argv only, allowlisted env, timeout and process-tree kill. */
export async function runAgent(input: RunAgentInput): Promise<AgentRun> {
  await writeFile(input.promptFile, input.prompt, { mode: 0o600 });
  const argv = renderCommand(input.spec.command, input.spec.prompt, {
    prompt: input.prompt,
    prompt_file: input.promptFileShown ?? input.promptFile,
    lane: input.lane,
    port: input.port,
  });
  const [file, ...args] = argv as [string, ...string[]];
  const live: { costUsd: number | null } = { costUsd: null };
  const onCost = input.onCost;
  const onStdoutLine = onCost && input.spec.output === "claude-json"
    ? (line: string): void => {
        const cost = claudeLineCost(line);
        if (cost === null || cost <= (live.costUsd ?? -1)) return;
        live.costUsd = cost;
        onCost(cost);
      }
    : undefined;
  const result = await runProcess(file, args, {
    cwd: input.cwd,
    env: { ...agentEnv({ source: input.env ?? process.env, passthrough: input.spec.env, lane: input.lane, port: input.port }), ...input.spec.env_values },
    timeoutMs: input.timeoutMs,
    signal: input.signal,
    input: input.spec.prompt === "stdin" ? input.prompt : undefined,
    logFile: input.logFile,
    maxLogBytes: input.maxLogBytes,
    onSpawn: input.onSpawn,
    onStdoutLine,
    sandbox: input.sandbox,
  });
  const parsed = parseAgentOutput(input.spec.output, result.stdout);
  // A stopped agent's last report may have scrolled out of the kept tail; the live total still counts.
  const report = live.costUsd !== null && live.costUsd > (parsed.costUsd ?? -1) ? { ...parsed, costUsd: live.costUsd } : parsed;
  const notes = [...agentNotes(input.spec.output, result.stdout), ...result.sandboxNotes];
  const base = { exitCode: result.exitCode, durationMs: result.durationMs, report, outputTruncated: result.outputTruncated, limit: result.limit, notes };
  if (result.limit) return { ...base, outcome: "error", failure: `the agent hit the lane's ${result.limit === "memory" ? "memory" : "process"} cap and was stopped` };
  if (result.aborted) return { ...base, outcome: "cancelled", failure: "cancelled" };
  if (result.timedOut) return { ...base, outcome: "timeout", failure: `agent timed out after ${Math.round(input.timeoutMs / 1000)}s` };
  if (result.spawnError) return { ...base, outcome: "error", failure: `could not start ${file}: ${result.spawnError}` };
  if (result.exitCode !== 0) {
    const detail = report.message ?? firstErrorLine(result.stderr);
    return { ...base, outcome: "error", failure: `agent exited with ${result.exitCode === null ? `signal ${result.signal}` : `code ${result.exitCode}`}${detail ? `: ${detail}` : ""}` };
  }
  if (report.isError) return { ...base, outcome: "error", failure: `agent reported an error${report.message ? `: ${report.message}` : ""}` };
  return { ...base, outcome: "ok", failure: null };
}
