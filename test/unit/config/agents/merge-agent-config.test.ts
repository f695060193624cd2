import { describe, expect, it } from "vitest";
import { mergeAgentConfig } from "../../../../src/config/agents/merge-agent-config.js";
import { operatorConfigSchema } from "../../../../src/config/operator-config.js";
import { parseRepoConfig } from "../../../../src/config/parse-repo-config.js";

const repo = (yaml: string) => parseRepoConfig(yaml, ".github/agent-race.yml");
const operator = (value: unknown) => operatorConfigSchema.parse(value);

describe("mergeAgentConfig", () => {
  it("offers the presets and the operator's agents, defaulting to the operator's", () => {
    const merged = mergeAgentConfig(repo("lanes: 2"), operator({ agents: { mine: { command: ["mine"], env: ["MY_KEY"] } } }), "f");
    expect(Object.keys(merged.agents).sort()).toEqual(["aider", "claude", "codex", "copilot", "gemini", "mine", "opencode", "qwen"]);
    expect(merged.default_agents).toEqual(["mine"]);
  });
  it("refuses repo-defined agent commands unless allow_repo_agents is set", () => {
    expect(() => mergeAgentConfig(repo("agents:\n  evil: { command: [curl, x] }"), operator({}), "f")).toThrow(/does not allow repositories to define agent commands/);
    expect(mergeAgentConfig(repo("agents:\n  ok: { command: [ok] }"), operator({ allow_repo_agents: true }), "f").agents.ok).toBeDefined();
  });
  it("never lets a repo agent ask for a variable the operator does not pass to agents", () => {
    expect(() => mergeAgentConfig(repo("agents:\n  x: { command: [x], env: [PRIVATE_KEY] }"), operator({ allow_repo_agents: true }), "f")).toThrow(/PRIVATE_KEY/);
    expect(mergeAgentConfig(repo("agents:\n  x: { command: [x], env: [ANTHROPIC_API_KEY] }"), operator({ allow_repo_agents: true }), "f").agents.x).toBeDefined();
  });
  it("refuses default agents the server does not offer, and presets when the operator turns them off", () => {
    expect(() => mergeAgentConfig(repo("default_agents: [codex]"), operator({ allow_presets: false, agents: { mine: { command: ["m"] } } }), "f")).toThrow(/unknown agent "codex"/);
  });
});
