import { presetEgress, SPEC_DEFAULTS, type Preset } from "./preset.js";

/**
 * What Claude Code reads to reach a model, passed through when the operator sets them: an API key
 * or a gateway's bearer token, a subscription token (`claude setup-token`), a default model, and
 * the Bedrock and Vertex switches with their credentials (code.claude.com/docs: env-vars,
 * amazon-bedrock, google-vertex-ai). Nothing else of the worker's environment reaches the lane.
 *
 * The egress allowlist stays the Anthropic API (or the `base_url` host). An operator who routes
 * Claude elsewhere through these variables (`ANTHROPIC_BASE_URL` without `base_url`,
 * `CLAUDE_CODE_USE_BEDROCK`, `CLAUDE_CODE_USE_VERTEX`) also names that host in the agent's
 * `egress:`; until then the lane fails at once with "network access refused by the sandbox: <host>"
 * in its notes. Not allowed by default: Bedrock's and Vertex's hosts depend on the region
 * (`bedrock-runtime.<region>.amazonaws.com`, `<region>-aiplatform.googleapis.com`), and the wildcards
 * that would cover every region (`*.amazonaws.com`, `*.googleapis.com`) also reach storage buckets,
 * an exfiltration channel for a lane that has never been set up to use them. A `base_url` wins over
 * a passed-through `ANTHROPIC_BASE_URL` (it is set in `env_values`, which apply last).
 */
const CLAUDE_ENV = [
  "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL",
  "CLAUDE_CODE_USE_BEDROCK", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK",
  "CLAUDE_CODE_USE_VERTEX", "ANTHROPIC_VERTEX_PROJECT_ID", "CLOUD_ML_REGION",
];

/**
 * Claude Code's retries of a failed API request. Its default (10, with backoff up to minutes) makes
 * an invalid key take about 3 minutes to fail; 2 fails it in about 2 s (measured with 2.1.332
 * against a stand-in answering 401) and still rides out a single 429 or 529 (overloaded).
 */
const MAX_RETRIES = "2";

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
    env: [...CLAUDE_ENV],
    env_values: {
      CLAUDE_CODE_MAX_RETRIES: MAX_RETRIES,
      // No telemetry, error reporting or update checks: even with a base URL, Claude Code 2.1.332
      // otherwise also calls api.anthropic.com, which a gateway-only allowlist refuses (a lane note).
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      ...(baseUrl ? { ANTHROPIC_BASE_URL: baseUrl } : {}),
    },
    output: "claude-json",
    egress: presetEgress(["api.anthropic.com"], baseUrl),
  }),
};
