import type { AgentSpec } from "./repo-config.js";

/**
 * Built-in agents, each with its CLI's real non-interactive invocation (see docs/config.md).
 * The prompt goes in on stdin or in a file outside the worktree, never on a shell line.
 */
export const AGENT_PRESETS: Readonly<Record<string, AgentSpec>> = {
  claude: {
    command: ["claude", "-p", "--output-format", "json", "--permission-mode", "acceptEdits", "--no-session-persistence"],
    prompt: "stdin",
    env: ["ANTHROPIC_API_KEY"],
    output: "claude-json",
  },
  codex: {
    command: ["codex", "exec", "--json", "--sandbox", "workspace-write", "--skip-git-repo-check", "--ephemeral", "-"],
    prompt: "stdin",
    env: ["OPENAI_API_KEY", "CODEX_API_KEY"],
    output: "codex-jsonl",
  },
  aider: {
    command: [
      "aider",
      "--message-file",
      "{prompt_file}",
      "--yes-always",
      "--no-auto-commits",
      "--no-check-update",
      "--no-show-release-notes",
      "--env-file",
      "/dev/null",
    ],
    prompt: "file",
    env: ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AIDER_MODEL"],
    output: "text",
  },
};
