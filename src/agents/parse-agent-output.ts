import type { AgentSpec } from "../config/repo-config.js";
import { EMPTY_AGENT_REPORT, type AgentReport } from "./agent-report.js";
import { parseClaudeOutput } from "./parse-claude-output.js";
import { parseCodexOutput } from "./parse-codex-output.js";

/** Reads an agent's stdout in the format its spec declares; plain text says nothing. */
export function parseAgentOutput(format: AgentSpec["output"], stdout: string): AgentReport {
  switch (format) {
    case "claude-json":
      return parseClaudeOutput(stdout);
    case "codex-jsonl":
      return parseCodexOutput(stdout);
    case "text":
      return { ...EMPTY_AGENT_REPORT };
  }
}
