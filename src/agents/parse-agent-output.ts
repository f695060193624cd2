import type { AgentSpec } from "../config/repo-config.js";
import { EMPTY_AGENT_REPORT, type AgentReport } from "./agent-report.js";
import { parseClaudeOutput } from "./parse-claude-output.js";
import { parseCodexOutput } from "./parse-codex-output.js";
import { parseCopilotOutput } from "./parse-copilot-output.js";
import { parseGeminiOutput } from "./parse-gemini-output.js";
import { parseOpencodeOutput } from "./parse-opencode-output.js";
import { parseQwenOutput } from "./parse-qwen-output.js";

/** Reads an agent's stdout in the format its spec declares; plain text says nothing. */
export function parseAgentOutput(format: AgentSpec["output"], stdout: string): AgentReport {
  switch (format) {
    case "claude-json":
      return parseClaudeOutput(stdout);
    case "codex-jsonl":
      return parseCodexOutput(stdout);
    case "gemini-json":
      return parseGeminiOutput(stdout);
    case "copilot-jsonl":
      return parseCopilotOutput(stdout);
    case "opencode-jsonl":
      return parseOpencodeOutput(stdout);
    case "qwen-json":
      return parseQwenOutput(stdout);
    case "text":
      return { ...EMPTY_AGENT_REPORT };
  }
}
