import type { AgentSpec } from "./repo-config.js";

export interface PresetOptions {
  /**
   * Whether the lane runs in agent-race's sandbox (bubblewrap; docs/security.md). Inside it the
   * agent's own permission prompts and sandbox are off: the lane sandbox is the boundary, and an
   * agent's own sandbox cannot nest in it (user namespaces are disabled inside). Outside it
   * (`--no-sandbox`, `sandbox: none`) the agent's own guard rails stay on.
   */
  sandboxed: boolean;
}

/**
 * Built-in agents, each with its CLI's real non-interactive invocation (docs/config.md), checked
 * against `claude --help` of @anthropic-ai/claude-code 2.1.197 and `codex exec --help` of
 * @openai/codex 0.171.0. The prompt goes in on stdin or in a file outside the worktree, never on a
 * shell line.
 */
export function agentPresets(options: PresetOptions): Record<string, AgentSpec> {
  const { sandboxed } = options;
  return {
    claude: {
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
      ],
      prompt: "stdin",
      env: ["ANTHROPIC_API_KEY"],
      output: "claude-json",
      egress: ["api.anthropic.com"],
    },
    codex: {
      // Sandboxed: `danger-full-access`, the mode OpenAI documents for runs that are sandboxed
      // externally ("configure your container so that it provides the sandbox guarantees … then run
      // codex with --sandbox danger-full-access"; developers.openai.com/codex). Its own bwrap sandbox
      // cannot nest inside the lane's. Not --dangerously-bypass-approvals-and-sandbox: `codex exec`
      // never asks for approval anyway, and the narrower flag leaves a seeded config.toml's other
      // settings alone. No --ignore-user-config: it would skip the operator's seeded
      // $CODEX_HOME/config.toml (model provider, gateway). CODEX_HOME is not passed through, so it is
      // $HOME/.codex: /home/agent/.codex in the sandbox, never under /tmp, where Codex refuses to
      // create its helper binaries. A repo's `.codex/config.toml` is ignored (untrusted project).
      command: ["codex", "exec", "--json", "--sandbox", sandboxed ? "danger-full-access" : "workspace-write", "--skip-git-repo-check", "--ephemeral", "-"],
      prompt: "stdin",
      env: ["OPENAI_API_KEY", "CODEX_API_KEY"],
      output: "codex-jsonl",
      egress: ["api.openai.com", "chatgpt.com"],
    },
    aider: {
      // Aider always reads `.aider.conf.yml` and `.env` from the worktree (cwd and git root), whatever
      // --config and --env-file say: ConfigArgParse loads its default files and the --config file
      // together, and aider's .env search appends --env-file to the list. `--config /dev/null` makes
      // aider exit with a YAML error. So the preset passes no --config, and its `--env-file /dev/null`
      // only stops aider from also reading the user's own .env: it does not keep a repo's `.env` out.
      // The lane sandbox (egress allowlist) and the restore of agent-config files bound what a planted
      // file can do (docs/config.md).
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
      egress: ["api.openai.com", "api.anthropic.com"],
    },
  };
}

/** The presets of a sandboxed lane (the default); their names are the built-in agents' names. */
export const AGENT_PRESETS: Readonly<Record<string, AgentSpec>> = agentPresets({ sandboxed: true });
