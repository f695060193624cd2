import { describe, expect, it } from "vitest";
import { AGENT_PRESETS, expandAgent } from "../../../../src/config/agents/agent-presets.js";
import { mergeAgentConfig } from "../../../../src/config/agents/merge-agent-config.js";
import { operatorConfigSchema } from "../../../../src/config/operator-config.js";
import { parseRepoConfig } from "../../../../src/config/parse-repo-config.js";
import { resolveAgent } from "../../../../src/config/agents/resolve-agent.js";
import { ConfigError } from "../../../../src/errors.js";

const operator = (yaml: Record<string, unknown>) => operatorConfigSchema.parse(yaml);

describe("agents that name a preset with a model and an endpoint", () => {
  it("claude: --model, ANTHROPIC_BASE_URL, and egress to the gateway only", () => {
    const spec = expandAgent("claude", { model: "claude-opus-4-5", base_url: "https://gw.example.com:8443/anthropic", env: ["MY_GATEWAY_TOKEN"] }, { sandboxed: true });
    expect(spec.command.slice(-2)).toEqual(["--model", "claude-opus-4-5"]);
    expect(spec.env_values).toEqual({ CLAUDE_CODE_MAX_RETRIES: "2", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", ANTHROPIC_BASE_URL: "https://gw.example.com:8443/anthropic" });
    expect(spec.egress).toEqual(["gw.example.com:8443"]);
    expect(spec.env.slice(0, 3)).toEqual(["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"]);
    expect(spec.env.at(-1)).toBe("MY_GATEWAY_TOKEN");
  });

  it("codex: -m and a model provider of its own (Codex ignores OPENAI_BASE_URL); a loopback URL forwards the port", () => {
    const spec = expandAgent("gw", { preset: "codex", model: "gpt-5.1-codex", base_url: "http://localhost:4000/v1", env: [] }, { sandboxed: false });
    expect(spec.command).toEqual([
      "codex", "exec", "--json", "--sandbox", "workspace-write", "--skip-git-repo-check", "--ephemeral", "--disable", "plugins", "-c", "analytics.enabled=false", "-m", "gpt-5.1-codex",
      "-c", "model_provider=agent_race", "-c", 'model_providers.agent_race={name="agent-race",base_url="http://localhost:4000/v1",env_key="OPENAI_API_KEY",wire_api="responses",request_max_retries=2,stream_max_retries=2}', "-",
    ]);
    expect(spec.egress).toEqual(["127.0.0.1:4000"]);
  });

  it("without model or base_url a reference is the preset itself; its own egress and timeout win", () => {
    expect(expandAgent("claude", { env: [] }, { sandboxed: true })).toEqual(AGENT_PRESETS.claude);
    const spec = expandAgent("claude", { env: [], egress: ["proxy.internal:443"], timeout: 60_000 }, { sandboxed: true });
    expect([spec.egress, spec.timeout]).toEqual([["proxy.internal:443"], 60_000]);
  });

  it("a repo's default_agents may name the operator's agents (and the operator may point a preset at a gateway)", () => {
    const repo = parseRepoConfig("default_agents: [good, bad]", "f.yml");
    const merged = mergeAgentConfig(repo, operator({
      agents: { good: { command: ["good-agent"] }, bad: { preset: "claude", model: "haiku" } },
    }), "f.yml");
    expect(merged.default_agents).toEqual(["good", "bad"]);
    expect(resolveAgent(merged, "bad").command).toContain("haiku");
  });

  it("an unknown default agent is reported with the server's agents, as a config error", () => {
    const repo = parseRepoConfig("default_agents: [ghost]", "f.yml");
    expect(() => mergeAgentConfig(repo, operator({ agents: { good: { command: ["good-agent"] } } }), "f.yml")).toThrow(ConfigError);
    expect(() => mergeAgentConfig(repo, operator({ agents: { good: { command: ["good-agent"] } } }), "f.yml")).toThrow(/unknown agent "ghost" in default_agents; this server offers: claude, codex, gemini, copilot, opencode, qwen, aider, good/);
  });

  it("an operator entry with neither a command nor a preset name is a config error, not a crash", () => {
    expect(() => mergeAgentConfig(parseRepoConfig("", "f.yml"), operator({ agents: { mine: { model: "x" } } }), "ops.yml")).toThrow(ConfigError);
  });
});
