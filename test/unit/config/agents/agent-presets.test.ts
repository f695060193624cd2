import { describe, expect, it } from "vitest";
import { AGENT_PRESETS, agentPresets } from "../../../../src/config/agents/agent-presets.js";
import { claudePreset } from "../../../../src/config/agents/presets/claude.js";
import { codexPreset } from "../../../../src/config/agents/presets/codex.js";
import { mergeAgentConfig } from "../../../../src/config/agents/merge-agent-config.js";
import { operatorConfigSchema } from "../../../../src/config/operator-config.js";
import { parseRepoConfig } from "../../../../src/config/parse-repo-config.js";
import type { AgentSpec } from "../../../../src/config/repo-config.js";
import { knownAgents, resolveAgent } from "../../../../src/config/agents/resolve-agent.js";

const repo = (yaml: string) => parseRepoConfig(yaml, ".github/agent-race.yml");
const operator = (value: unknown) => operatorConfigSchema.parse(value);
const sandboxed = agentPresets({ sandboxed: true });
const unsandboxed = agentPresets({ sandboxed: false });

/** The value following `flag` in an argv (and that the flag occurs once). */
function flagValue(command: readonly string[], flag: string): string | undefined {
  const at = command.flatMap((arg, i) => (arg === flag ? [i] : []));
  expect(at, `${flag} in ${command.join(" ")}`).toHaveLength(1);
  return command[(at[0] as number) + 1];
}

describe("agentPresets: claude", () => {
  it("skips permission prompts only inside the lane sandbox; outside it edits are accepted, Bash is not", () => {
    expect(flagValue(sandboxed.claude!.command, "--permission-mode")).toBe("bypassPermissions");
    expect(flagValue(unsandboxed.claude!.command, "--permission-mode")).toBe("acceptEdits");
    for (const preset of [sandboxed, unsandboxed]) expect(preset.claude!.command).not.toContain("--dangerously-skip-permissions");
  });

  it.each([["sandboxed", sandboxed], ["unsandboxed", unsandboxed]] as const)("%s: never loads repo-planted MCP servers or settings", (_name, presets) => {
    const command = presets.claude!.command;
    expect(command).toContain("--strict-mcp-config");
    // Only the user's settings (the lane HOME): `.claude/settings*.json` in the worktree is not read.
    expect(flagValue(command, "--setting-sources")).toBe("user");
    expect(command).not.toContain("--mcp-config");
    expect(command.slice(0, 4)).toEqual(["claude", "-p", "--output-format", "json"]);
    expect(command).toContain("--no-session-persistence");
  });

  it("reads the prompt on stdin, reports Claude JSON and reaches only the Anthropic API", () => {
    for (const presets of [sandboxed, unsandboxed]) {
      const claude = presets.claude!;
      expect(claude).toMatchObject({ prompt: "stdin", output: "claude-json", egress: ["api.anthropic.com"] });
      // The prompt is never on the command line.
      expect(claude.command.some((arg) => arg.includes("{prompt"))).toBe(false);
    }
  });

  it("passes the key, gateway token, subscription token, model and the Bedrock/Vertex settings, and only those", () => {
    expect(sandboxed.claude!.env).toEqual([
      "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL",
      "CLAUDE_CODE_USE_BEDROCK", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK",
      "CLAUDE_CODE_USE_VERTEX", "ANTHROPIC_VERTEX_PROJECT_ID", "CLOUD_ML_REGION",
    ]);
    // Bedrock's and Vertex's regional hosts are the operator's to allow (`egress:`), never a wildcard by default.
    expect(sandboxed.claude!.egress.some((host) => host.startsWith("*."))).toBe(false);
  });

  it("fails fast on a bad key (two retries, not ten) and makes no non-essential calls", () => {
    for (const presets of [sandboxed, unsandboxed]) {
      expect(presets.claude!.env_values).toEqual({ CLAUDE_CODE_MAX_RETRIES: "2", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" });
    }
  });

  it("a base_url becomes ANTHROPIC_BASE_URL, set after the passed-through one, and the only egress", () => {
    const spec = claudePreset.build({ sandboxed: true, baseUrl: "http://127.0.0.1:8082" });
    expect(spec.env_values).toMatchObject({ ANTHROPIC_BASE_URL: "http://127.0.0.1:8082", CLAUDE_CODE_MAX_RETRIES: "2" });
    expect(spec.egress).toEqual(["127.0.0.1:8082"]);
  });
});

describe("agentPresets: codex", () => {
  it("hands sandboxing to the lane sandbox only when there is one; outside it codex keeps its own workspace-write sandbox", () => {
    expect(flagValue(sandboxed.codex!.command, "--sandbox")).toBe("danger-full-access");
    expect(flagValue(unsandboxed.codex!.command, "--sandbox")).toBe("workspace-write");
    for (const presets of [sandboxed, unsandboxed]) {
      const command = presets.codex!.command;
      expect(command).not.toContain("--dangerously-bypass-approvals-and-sandbox");
      // The operator's seeded $CODEX_HOME/config.toml stays in use.
      expect(command).not.toContain("--ignore-user-config");
      expect(command.slice(0, 3)).toEqual(["codex", "exec", "--json"]);
      expect(command).toEqual(expect.arrayContaining(["--skip-git-repo-check", "--ephemeral"]));
      // `-`: the prompt comes on stdin.
      expect(command.at(-1)).toBe("-");
    }
  });

  it("reports codex JSONL and reaches the OpenAI API and ChatGPT login host", () => {
    expect(sandboxed.codex).toMatchObject({ prompt: "stdin", output: "codex-jsonl", env: ["OPENAI_API_KEY", "CODEX_API_KEY", "OPENAI_ORGANIZATION", "OPENAI_PROJECT"] });
    expect(sandboxed.codex!.egress).toEqual(["api.openai.com", "chatgpt.com"]);
    expect(unsandboxed.codex!.egress).toEqual(sandboxed.codex!.egress);
  });

  it("turns off plugin sync and analytics, the start-up calls the lane's allowlist would refuse", () => {
    for (const presets of [sandboxed, unsandboxed]) {
      expect(flagValue(presets.codex!.command, "--disable")).toBe("plugins");
      expect(presets.codex!.command).toContain("analytics.enabled=false");
    }
  });

  it("a base_url becomes a model provider of its own, with two retries so a bad key fails fast", () => {
    const command = codexPreset.build({ sandboxed: true, baseUrl: "http://127.0.0.1:4000/v1" }).command;
    expect(command).toContain("model_provider=agent_race");
    expect(command).toContain('model_providers.agent_race={name="agent-race",base_url="http://127.0.0.1:4000/v1",env_key="OPENAI_API_KEY",wire_api="responses",request_max_retries=2,stream_max_retries=2}');
    // Without one, the built-in provider (whose retries Codex does not let a config change) is used.
    expect(sandboxed.codex!.command.some((arg) => arg.includes("model_provider"))).toBe(false);
  });
});

describe("agentPresets: aider", () => {
  it("reads the prompt from a file outside the worktree, never commits itself, never asks", () => {
    const aider = sandboxed.aider!;
    expect(aider.prompt).toBe("file");
    expect(flagValue(aider.command, "--message-file")).toBe("{prompt_file}");
    // The lane's snapshot makes the commit; aider's own commits would be discarded anyway.
    expect(aider.command).toEqual(expect.arrayContaining(["--yes-always", "--no-auto-commits", "--no-check-update", "--no-show-release-notes"]));
    // `--config /dev/null` makes aider exit with a YAML error (agent-presets.ts): the preset must not pass it.
    expect(aider.command).not.toContain("--config");
    expect(aider.command.some((arg) => arg.startsWith("--config="))).toBe(false);
    expect(aider.output).toBe("text");
  });

  it("reaches the model APIs it is given keys for, and its command does not depend on the sandbox", () => {
    expect(sandboxed.aider!.env).toEqual(["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AIDER_MODEL"]);
    expect(sandboxed.aider!.egress).toEqual(["api.openai.com", "api.anthropic.com"]);
    expect(unsandboxed.aider).toEqual(sandboxed.aider);
  });
});

describe("AGENT_PRESETS", () => {
  it("are the sandboxed presets, with the built-in agents' names", () => {
    expect(Object.keys(AGENT_PRESETS).sort()).toEqual(["aider", "claude", "codex", "copilot", "gemini", "opencode", "qwen"]);
    expect(AGENT_PRESETS).toEqual(sandboxed);
  });

  it("each call returns fresh specs: changing one does not change the next lane's", () => {
    const first = agentPresets({ sandboxed: true });
    first.claude!.command.push("--evil");
    first.codex!.egress.push("attacker.example");
    expect(agentPresets({ sandboxed: true }).claude!.command).not.toContain("--evil");
    expect(agentPresets({ sandboxed: true }).codex!.egress).not.toContain("attacker.example");
  });

  it("every preset's egress allowlist is non-empty: an agent without its API cannot work in the sandbox", () => {
    for (const presets of [sandboxed, unsandboxed]) {
      for (const [name, spec] of Object.entries(presets)) expect(spec.egress.length, name).toBeGreaterThan(0);
    }
  });
});

describe("resolveAgent", () => {
  const config = repo("lanes: 1");

  it("resolves presets for a sandboxed lane by default, and unsandboxed ones when asked", () => {
    expect(resolveAgent(config, "claude")).toEqual(sandboxed.claude);
    expect(resolveAgent(config, "claude", { sandboxed: true })).toEqual(sandboxed.claude);
    expect(resolveAgent(config, "claude", { sandboxed: false })).toEqual(unsandboxed.claude);
    expect(flagValue(resolveAgent(config, "codex", { sandboxed: false }).command, "--sandbox")).toBe("workspace-write");
    expect(flagValue(resolveAgent(config, "codex", { sandboxed: undefined }).command, "--sandbox")).toBe("danger-full-access");
  });

  it("prefers the config's own agent of the same name over a preset", () => {
    const own = repo("agents:\n  claude: { command: [my-claude, --print] }");
    const spec: AgentSpec = resolveAgent(own, "claude", { sandboxed: true });
    expect(spec.command).toEqual(["my-claude", "--print"]);
  });

  it("refuses an unknown agent, naming the known ones", () => {
    const own = repo("agents:\n  mine: { command: [mine] }");
    expect(() => resolveAgent(own, "nope")).toThrow(/unknown agent "nope"; known agents: mine, claude, codex, gemini, copilot, opencode, qwen, aider/);
    expect(knownAgents(own)).toEqual(["mine", "claude", "codex", "gemini", "copilot", "opencode", "qwen", "aider"]);
  });
});

describe("mergeAgentConfig picks the presets for the operator's sandbox", () => {
  it("bwrap (the default): the sandboxed presets", () => {
    const merged = mergeAgentConfig(repo("lanes: 1"), operator({}), "f");
    expect(merged.agents.claude).toEqual(sandboxed.claude);
    expect(merged.agents.codex).toEqual(sandboxed.codex);
    expect(mergeAgentConfig(repo("lanes: 1"), operator({ sandbox: { mode: "bwrap" } }), "f").agents.claude).toEqual(sandboxed.claude);
  });

  it("sandbox: none: the unsandboxed presets, so the agents' own guard rails stay on", () => {
    const merged = mergeAgentConfig(repo("lanes: 1"), operator({ sandbox: { mode: "none" } }), "f");
    expect(merged.agents.claude).toEqual(unsandboxed.claude);
    expect(merged.agents.codex).toEqual(unsandboxed.codex);
    expect(merged.agents.aider).toEqual(unsandboxed.aider);
    expect(flagValue((merged.agents.claude as AgentSpec).command, "--permission-mode")).toBe("acceptEdits");
    expect(flagValue((merged.agents.codex as AgentSpec).command, "--sandbox")).toBe("workspace-write");
  });

  it("an explicit `sandboxed` option wins over the operator's mode", () => {
    expect(mergeAgentConfig(repo("lanes: 1"), operator({ sandbox: { mode: "none" } }), "f", { sandboxed: true }).agents.claude).toEqual(sandboxed.claude);
    expect(mergeAgentConfig(repo("lanes: 1"), operator({}), "f", { sandboxed: false }).agents.claude).toEqual(unsandboxed.claude);
  });

  it("the operator's own agent of a preset's name replaces the preset in either mode", () => {
    const mine = { claude: { command: ["claude", "-p", "--operator-flags"] } };
    for (const mode of ["bwrap", "none"] as const) {
      expect((mergeAgentConfig(repo("lanes: 1"), operator({ sandbox: { mode }, agents: mine }), "f").agents.claude as AgentSpec).command).toEqual(["claude", "-p", "--operator-flags"]);
    }
  });

  it("no presets at all when the operator turns them off", () => {
    const merged = mergeAgentConfig(repo("lanes: 1"), operator({ sandbox: { mode: "none" }, allow_presets: false, agents: { mine: { command: ["m"] } } }), "f");
    expect(Object.keys(merged.agents)).toEqual(["mine"]);
  });
});
