import { presetEgress, SPEC_DEFAULTS, type Preset } from "./preset.js";

/**
 * GitHub Copilot CLI (`@github/copilot`, checked against 1.0.102): the prompt on stdin (without `-p`
 * it reads piped stdin and exits when done), `--output-format json` (JSONL events ending in one
 * `result` event).
 */
export const copilotPreset: Preset = {
  name: "copilot",
  package: "@github/copilot",
  bin: "copilot",
  build: ({ sandboxed, model, baseUrl }) => ({
    ...SPEC_DEFAULTS,
    command: [
      "copilot", "--output-format", "json",
      // Sandboxed: every tool, path and URL (`--allow-all`, the same as `--yolo`). Copilot's own
      // command sandbox (MXC, bubblewrap on Linux) is off by default and nothing here turns it on; it
      // could not nest in the lane's. Unsandboxed: tools run without prompting (prompt mode requires
      // it) but the shell is denied (the agent goes on without it), files outside the worktree and
      // the temp dir are refused, and so is every URL.
      ...(sandboxed ? ["--allow-all"] : ["--allow-all-tools", "--deny-tool=shell"]),
      // No --trust-folder (and never COPILOT_ALLOW_ALL=true, which also trusts the folder): a prompt-mode
      // session of an untrusted folder loads none of the repo's MCP servers (`.mcp.json`,
      // `.github/copilot/settings.json`), skills, plugins or hooks. Its instructions (AGENTS.md,
      // .github/copilot-instructions.md) still load, like any file of the repo.
      "--no-ask-user", "--no-auto-update", "--disable-client-telemetry",
      ...(model ? ["--model", model] : []),
    ],
    prompt: "stdin",
    // Only Copilot's own token variable: GH_TOKEN and GITHUB_TOKEN are often broad tokens (gh's, a
    // workflow's) that the lane would then hold; an operator can still pass one through `env:`.
    env: ["COPILOT_GITHUB_TOKEN", ...(baseUrl ? ["COPILOT_PROVIDER_API_KEY", "COPILOT_PROVIDER_BEARER_TOKEN", "COPILOT_PROVIDER_TYPE", "COPILOT_PROVIDER_WIRE_API"] : [])],
    // A `base_url` is Copilot's BYOK provider (OpenAI Chat Completions unless COPILOT_PROVIDER_TYPE
    // says `anthropic` or `azure`; it needs a `model`). Offline mode then keeps Copilot from GitHub
    // altogether: no GitHub sign-in, telemetry, web tools, GitHub MCP server or update check.
    env_values: baseUrl ? { COPILOT_PROVIDER_BASE_URL: baseUrl, COPILOT_OFFLINE: "true" } : ({} as Record<string, string>),
    output: "copilot-jsonl",
    // api.github.com for the sign-in check (copilot_internal/user); the model API is
    // api.githubcopilot.com or the plan's api.{individual,business,enterprise}.githubcopilot.com.
    egress: presetEgress(["api.github.com", "api.githubcopilot.com", "*.githubcopilot.com"], baseUrl),
  }),
};
