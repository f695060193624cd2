import type { AgentSpec } from "../config/repo-config.js";
import { claudePermissionDenials } from "./parse-claude-output.js";

/** What the agent's own output says for the lane notes: Claude Code's `permission_denials`, as "Claude denied 2 tool calls: Bash, Write". */
export function agentNotes(format: AgentSpec["output"], stdout: string): string[] {
  if (format !== "claude-json") return [];
  const denied = claudePermissionDenials(stdout);
  if (denied.length === 0) return [];
  const tools = [...new Set(denied)];
  const shown = tools.slice(0, 10).join(", ") + (tools.length > 10 ? ` and ${tools.length - 10} more` : "");
  return [`Claude denied ${denied.length} tool call${denied.length === 1 ? "" : "s"}: ${shown}`];
}
