import { presetEgress, SPEC_DEFAULTS, type Preset } from "./preset.js";

/** Where Qwen Code's `openai` auth goes without OPENAI_BASE_URL (DashScope's OpenAI-compatible API). */
const DEFAULT_BASE_URL = "https://dashscope.aliyuncs.com/compatible-mode/v1";

/**
 * Qwen Code (`@qwen-code/qwen-code`): `qwen --bare --output-format stream-json`, prompt on stdin.
 * Checked against 0.24.4 (`qwen --help` and its bundled config code).
 */
export const qwenPreset: Preset = {
  name: "qwen",
  package: "@qwen-code/qwen-code",
  bin: "qwen",
  build: ({ sandboxed, model, baseUrl }) => ({
    ...SPEC_DEFAULTS,
    command: [
      // --bare: no settings (workspace or user), QWEN.md/AGENTS.md, skills, subagents, hooks, MCP
      // servers or extensions. --safe-mode is not enough: it still applies a repo's
      // `.qwen/settings.json` modelProviders (which can send the key to another host),
      // generationConfig and headers. Bare mode's tools are read_file, edit, notebook_edit and
      // run_shell_command (no write_file, grep_search, glob, web_fetch or subagents).
      // stream-json: one message a line, so the result line survives when a long run's stdout
      // outgrows the tail agent-race keeps (`json` is one array on one line).
      "qwen", "--bare", "--output-format", "stream-json", "--auth-type", "openai", "--no-chat-recording",
      // Sandboxed: yolo, every tool call runs (the lane sandbox is the boundary; Qwen's own sandbox
      // is off unless --sandbox or QWEN_SANDBOX asks for it). Outside it: auto-edit, file edits run
      // and shell commands need an approval nobody gives, so they are denied (permission_denials).
      "--approval-mode", sandboxed ? "yolo" : "auto-edit",
      ...(model ? ["--model", model] : []),
    ],
    prompt: "stdin",
    env: ["OPENAI_API_KEY"],
    env_values: {
      // Always set, so a repo's `.env` cannot point the key at another host.
      OPENAI_BASE_URL: baseUrl ?? DEFAULT_BASE_URL,
      // No usage statistics to Alibaba's RUM endpoint (the lane's egress would refuse them).
      QWEN_USAGE_STATISTICS_ENABLED: "false",
      ...(sandboxed ? { QWEN_CODE_SUPPRESS_YOLO_WARNING: "1" } : {}),
    },
    output: "qwen-json",
    egress: presetEgress(["dashscope.aliyuncs.com"], baseUrl),
  }),
};
