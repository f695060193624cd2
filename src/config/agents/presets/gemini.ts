import { fileURLToPath } from "node:url";
import { presetEgress, SPEC_DEFAULTS, type Preset } from "./preset.js";
// Imported so that tsc copies them next to the compiled preset (dist/config/agents/presets/), where
// `home_files` reads them from; the objects are what the lane's ~/.gemini/settings.json says.
import laneSettings from "./gemini-settings.json" with { type: "json" };
import gatewaySettings from "./gemini-settings-gateway.json" with { type: "json" };

/** The ~/.gemini/settings.json of a sandboxed lane, without and with a `base_url`. */
export const GEMINI_LANE_SETTINGS = { default: laneSettings, gateway: gatewaySettings } as const;

/** Where those files are on the worker (next to this module, in src/ or dist/). */
export const GEMINI_SETTINGS_FILES = {
  default: fileURLToPath(new URL("./gemini-settings.json", import.meta.url)),
  gateway: fileURLToPath(new URL("./gemini-settings-gateway.json", import.meta.url)),
} as const;

/**
 * Gemini CLI (`@google/gemini-cli`, checked against 0.61.0): headless (stdin is not a TTY), the
 * prompt on stdin, `--output-format stream-json` (JSONL whose last `result` event carries the
 * token stats, and on an API error the error itself, on stdout; `json` writes errors to stderr).
 */
export const geminiPreset: Preset = {
  name: "gemini",
  package: "@google/gemini-cli",
  bin: "gemini",
  build: ({ sandboxed, model, baseUrl }) => ({
    ...SPEC_DEFAULTS,
    command: [
      "gemini", "--output-format", "stream-json",
      // Folder trust is on by default and an untrusted folder ends a headless run (exit 55); an
      // untrusted one would also force the approval mode back to "default", where no tool runs. So
      // the worktree is trusted for the session, and the repo's `.gemini/` (settings, .env, MCP,
      // hooks, commands) loads: it is bounded by the lane sandbox and its egress allowlist, and
      // restored from the base on revisions (AGENT_CONFIG_PATHS).
      "--skip-trust",
      // Sandboxed: every tool, the shell included. Unsandboxed: edits only; a shell call is refused
      // (headless runs never ask) and the agent goes on without it.
      "--approval-mode", sandboxed ? "yolo" : "auto_edit",
      ...(model ? ["--model", model] : []),
    ],
    prompt: "stdin",
    env: ["GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_GCA", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"],
    env_values: {
      // One process instead of a launcher that re-spawns node with a bigger heap (and ignores SIGTERM).
      GEMINI_CLI_NO_RELAUNCH: "true",
      // Gemini's own sandbox (docker/podman, or a repo setting naming one) cannot run in the lane's.
      ...(sandboxed ? { GEMINI_SANDBOX: "false" } : {}),
      ...(baseUrl ? { GOOGLE_GEMINI_BASE_URL: baseUrl } : {}),
    },
    // The lane's fresh HOME gets settings the CLI takes only from a file: 3 attempts per request
    // instead of 10 (a 429 fails in about 20 s, not minutes; a bad key is never retried), no usage
    // statistics (play.googleapis.com, refused by the egress allowlist), no update checks. With a
    // `base_url`, `security.auth.selectedType: gemini-api-key` too: GOOGLE_GEMINI_BASE_URL alone makes
    // 0.61 pick its "gateway" auth, which headless runs reject ("Invalid auth method selected.",
    // google-gemini/gemini-cli#27550). Unsandboxed, HOME is the user's own and is left alone.
    ...(sandboxed ? { home_files: { ".gemini/settings.json": baseUrl ? GEMINI_SETTINGS_FILES.gateway : GEMINI_SETTINGS_FILES.default } } : {}),
    output: "gemini-json",
    egress: presetEgress(["generativelanguage.googleapis.com"], baseUrl),
  }),
};
