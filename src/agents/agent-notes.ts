import type { AgentSpec } from "../config/repo-config.js";
import { claudePermissionDenials } from "./parse-claude-output.js";
import { opencodePermissionRejections } from "./parse-opencode-output.js";
import { qwenPermissionDenials } from "./parse-qwen-output.js";

/** Each format's refused tool calls, and the CLI's name for the note. */
const DENIALS: Partial<Record<AgentSpec["output"], { cli: string; read: (stdout: string) => string[] }>> = {
  "claude-json": { cli: "Claude", read: claudePermissionDenials },
  "qwen-json": { cli: "Qwen Code", read: qwenPermissionDenials },
  "opencode-jsonl": { cli: "opencode", read: opencodePermissionRejections },
};

/**
 * What the agent's own output says for the lane notes: the tool calls its permission mode refused
 * (unsandboxed lanes keep the CLIs' guard rails), as "Claude denied 2 tool calls: Bash, Write".
 */
export function agentNotes(format: AgentSpec["output"], stdout: string): string[] {
  const source = DENIALS[format];
  if (!source) return [];
  const denied = source.read(stdout);
  if (denied.length === 0) return [];
  const tools = [...new Set(denied)];
  const shown = tools.slice(0, 10).join(", ") + (tools.length > 10 ? ` and ${tools.length - 10} more` : "");
  return [`${source.cli} denied ${denied.length} tool call${denied.length === 1 ? "" : "s"}: ${shown}`];
}
