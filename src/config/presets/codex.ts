import { presetEgress, SPEC_DEFAULTS, type Preset } from "./preset.js";

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
      ...(model ? ["-m", model] : []),
      ...(baseUrl
        ? ["-c", "model_provider=agent_race", "-c", `model_providers.agent_race={name="agent-race",base_url=${JSON.stringify(baseUrl)},env_key="OPENAI_API_KEY",wire_api="responses"}`]
        : []),
      "-",
    ],
    prompt: "stdin",
    env: ["OPENAI_API_KEY", "CODEX_API_KEY"],
    output: "codex-jsonl",
    egress: presetEgress(["api.openai.com", "chatgpt.com"], baseUrl),
  }),
};
