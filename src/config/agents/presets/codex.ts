import { presetEgress, SPEC_DEFAULTS, type Preset } from "./preset.js";

/**
 * Retries of a failed request and of a broken stream for a `base_url` provider. Codex's defaults
 * (4 and 5) make an invalid key take about 7 s to fail; 2 fails it in about 1 s (measured with
 * 0.171.0 against a stand-in answering 401) and still rides out a single 429 or 5xx. Only a model
 * provider of our own takes them: Codex refuses to change its built-in `openai` provider ("Built-in
 * providers cannot be overridden"), and top-level `request_max_retries` is not a setting, so
 * without a `base_url` Codex keeps its own retries and the lane timeout is the bound.
 */
const MAX_RETRIES = 2;

/**
 * Codex's credentials: an API key (`OPENAI_API_KEY`; `CODEX_API_KEY` for `codex exec`), and the
 * organization and project its built-in provider sends as `OpenAI-Organization` / `OpenAI-Project`.
 */
const CODEX_ENV = ["OPENAI_API_KEY", "CODEX_API_KEY", "OPENAI_ORGANIZATION", "OPENAI_PROJECT"];

/** Codex CLI (`@openai/codex`): `codex exec --json -`, prompt on stdin. */
export const codexPreset: Preset = {
  name: "codex",
  package: "@openai/codex",
  bin: "codex",
  build: ({ sandboxed, model, baseUrl }) => ({
    ...SPEC_DEFAULTS,
    // Sandboxed: `danger-full-access`, the mode OpenAI documents for runs that are sandboxed
    // externally ("configure your container so that it provides the sandbox guarantees … then run
    // codex with --sandbox danger-full-access"; developers.openai.com/codex). Its own bwrap sandbox
    // cannot nest inside the lane's. Not --dangerously-bypass-approvals-and-sandbox: `codex exec`
    // never asks for approval anyway, and the narrower flag leaves a seeded config.toml's other
    // settings alone. No --ignore-user-config: it would skip the operator's seeded
    // $CODEX_HOME/config.toml (model provider, gateway). CODEX_HOME is not passed through, so it is
    // $HOME/.codex: /home/agent/.codex in the sandbox, never under /tmp, where Codex refuses to
    // create its helper binaries. A repo's `.codex/config.toml` is ignored (untrusted project).
    // Codex ignores OPENAI_BASE_URL: a `base_url` becomes a model provider of its own.
    command: [
      "codex", "exec", "--json", "--sandbox", sandboxed ? "danger-full-access" : "workspace-write", "--skip-git-repo-check", "--ephemeral",
      // No plugin sync (github.com, api.github.com, chatgpt.com) and no analytics (ab.chatgpt.com):
      // calls 0.171.0 makes at start whatever the provider, which the lane's allowlist refuses.
      "--disable", "plugins", "-c", "analytics.enabled=false",
      ...(model ? ["-m", model] : []),
      ...(baseUrl
        ? [
            "-c", "model_provider=agent_race",
            "-c", `model_providers.agent_race={name="agent-race",base_url=${JSON.stringify(baseUrl)},env_key="OPENAI_API_KEY",wire_api="responses",request_max_retries=${MAX_RETRIES},stream_max_retries=${MAX_RETRIES}}`,
          ]
        : []),
      "-",
    ],
    prompt: "stdin",
    env: [...CODEX_ENV],
    output: "codex-jsonl",
    egress: presetEgress(["api.openai.com", "chatgpt.com"], baseUrl),
  }),
};
