import { presetEgress, SPEC_DEFAULTS, type Preset } from "./preset.js";

/** The model provider a `base_url` becomes (opencode's `provider/model` names it). */
const PROVIDER = "agent-race";

/**
 * opencode (`opencode-ai`): `opencode run --format json`, prompt on stdin, JSONL events on stdout.
 * Checked against opencode-ai 1.18.33 (`opencode run --help` and its bundled config code).
 */
export const opencodePreset: Preset = {
  name: "opencode",
  package: "opencode-ai",
  bin: "opencode",
  build: ({ sandboxed, model, baseUrl }) => {
    if (baseUrl && !model) throw new Error(`the opencode preset needs a model with base_url: the model's name at ${baseUrl}`);
    // A `base_url` becomes an OpenAI-compatible (Chat Completions) provider of its own, bundled in
    // opencode (no package download), keyed by OPENAI_API_KEY; the model is named as
    // `agent-race/<model>`. Without one, `model` is opencode's own `provider/model`.
    const provider = baseUrl && model
      ? { [PROVIDER]: { npm: "@ai-sdk/openai-compatible", name: PROVIDER, options: { baseURL: baseUrl, apiKey: "{env:OPENAI_API_KEY}" }, models: { [model]: { name: model } } } }
      : undefined;
    // OPENCODE_CONFIG_CONTENT is merged last, over the user's ~/.config/opencode (the lane HOME,
    // which the operator may seed). No snapshots (a git copy of the worktree per step), no sharing,
    // no self-update. Outside the lane sandbox the bash tool is denied (opencode then does not offer
    // it to the model, as Claude Code's acceptEdits denies Bash) and the other asks (files outside
    // the worktree, .env reads) stay asks, which `run` rejects, ending the run. Inside it `--auto`
    // approves the asks: the sandbox is the boundary.
    const config = {
      $schema: "https://opencode.ai/config.json",
      autoupdate: false,
      share: "disabled",
      snapshot: false,
      ...(provider ? { provider } : {}),
      ...(sandboxed ? {} : { permission: { bash: "deny" } }),
    };
    return {
      ...SPEC_DEFAULTS,
      command: [
        "opencode", "run", "--format", "json",
        ...(sandboxed ? ["--auto"] : []),
        ...(model ? ["--model", provider ? `${PROVIDER}/${model}` : model] : []),
      ],
      prompt: "stdin",
      env: baseUrl ? ["OPENAI_API_KEY"] : ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENCODE_API_KEY"],
      env_values: {
        OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
        // Repo-planted config stays off: no opencode.json(c) or .opencode/ (agents, commands,
        // plugins, skills) from the worktree, no AGENTS.md/CLAUDE.md instructions from it, no skills
        // from its .claude/ or .agents/. The model list is the one bundled in the binary: no
        // models.dev fetch, which the lane's egress would refuse anyway.
        OPENCODE_DISABLE_PROJECT_CONFIG: "1",
        OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
        OPENCODE_DISABLE_MODELS_FETCH: "1",
        OPENCODE_DISABLE_AUTOUPDATE: "1",
        OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
      },
      output: "opencode-jsonl",
      // The default providers' APIs: Anthropic, OpenAI and opencode Zen.
      egress: presetEgress(["api.anthropic.com", "api.openai.com", "opencode.ai"], baseUrl),
    };
  },
};
