import { presetEgress, SPEC_DEFAULTS, type Preset } from "./preset.js";

/** Claude Code (`@anthropic-ai/claude-code`): `claude -p --output-format json`, prompt on stdin. */
export const claudePreset: Preset = {
  name: "claude",
  package: "@anthropic-ai/claude-code",
  bin: "claude",
  build: ({ sandboxed, model, baseUrl }) => ({
    ...SPEC_DEFAULTS,
    command: [
      "claude", "-p", "--output-format", "json",
      // Sandboxed: every tool, Bash included, so the agent can run the repo's tests. acceptEdits
      // denies Bash (the denials show in the lane notes). Claude Code refuses bypassPermissions as root.
      "--permission-mode", sandboxed ? "bypassPermissions" : "acceptEdits",
      // Repo-planted config stays off in both modes: MCP servers only from --mcp-config (none), so
      // `.mcp.json` never starts a server; settings only from the user's ~/.claude (the lane HOME,
      // which the operator seeds), so `.claude/settings*.json` hooks, permissions and env do not load.
      "--strict-mcp-config", "--setting-sources", "user",
      "--no-session-persistence",
      ...(model ? ["--model", model] : []),
    ],
    prompt: "stdin",
    env: ["ANTHROPIC_API_KEY"],
    env_values: baseUrl ? { ANTHROPIC_BASE_URL: baseUrl } : ({} as Record<string, string>),
    output: "claude-json",
    egress: presetEgress(["api.anthropic.com"], baseUrl),
  }),
};
