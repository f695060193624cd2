import { presetEgress, SPEC_DEFAULTS, type Preset } from "./preset.js";

/** Aider (PyPI `aider-chat`): one message from a file, no auto-commits. Tested by its argv only. */
export const aiderPreset: Preset = {
  name: "aider",
  package: "aider-chat",
  bin: "aider",
  build: ({ model, baseUrl }) => ({
    ...SPEC_DEFAULTS,
    // Aider always reads `.aider.conf.yml` and `.env` from the worktree (cwd and git root), whatever
    // --config and --env-file say: ConfigArgParse loads its default files and the --config file
    // together, and aider's .env search appends --env-file to the list. `--config /dev/null` makes
    // aider exit with a YAML error. So the preset passes no --config, and its `--env-file /dev/null`
    // only stops aider from also reading the user's own .env: it does not keep a repo's `.env` out.
    // The lane sandbox (egress allowlist) and the restore of agent-config files bound what a planted
    // file can do (docs/agents.md).
    command: [
      "aider", "--message-file", "{prompt_file}", "--yes-always", "--no-auto-commits", "--no-check-update", "--no-show-release-notes",
      "--env-file", "/dev/null",
      ...(model ? ["--model", model] : []),
      ...(baseUrl ? ["--openai-api-base", baseUrl] : []),
    ],
    prompt: "file",
    env: ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AIDER_MODEL"],
    output: "text",
    egress: presetEgress(["api.openai.com", "api.anthropic.com"], baseUrl),
  }),
};
