import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../../src/config/parse-repo-config.js";
import { planLanes } from "../../../src/pipeline/plan-lanes.js";

const config = parseRepoConfig("lanes: 3\nports: { base: 5000 }\nagents:\n  mine: { command: [my-agent] }\ndefault_agents: [claude, codex]\n", "x.yml");

describe("planLanes", () => {
  it("fills the config's lanes by cycling default_agents, with a port per lane", () => {
    expect(planLanes(config, {}).map((p) => [p.lane, p.agentName, p.port])).toEqual([[1, "claude", 5001], [2, "codex", 5002], [3, "claude", 5003]]);
  });
  it("runs one lane per named agent, and cycles them over an explicit count", () => {
    expect(planLanes(config, { agents: ["mine", "aider"] }).map((p) => p.agentName)).toEqual(["mine", "aider"]);
    expect(planLanes(config, { lanes: 3, agents: ["mine"] }).map((p) => p.agentName)).toEqual(["mine", "mine", "mine"]);
  });
  it("gives one approach per lane and derives the count from them", () => {
    expect(planLanes(config, { approaches: ["trie", "map"] }).map((p) => p.approach)).toEqual(["trie", "map"]);
    expect(planLanes(config, { lanes: 3, approaches: ["trie"] }).map((p) => p.approach)).toEqual(["trie", null, null]);
  });
  it.each([
    [{ lanes: 9 }, /9 lanes is more than max_lanes \(8\)/],
    [{ lanes: 0 }, /at least 1/],
    [{ lanes: 1, approaches: ["a", "b"] }, /2 approaches were given for 1 lanes/],
    [{ agents: ["ghost"] }, /unknown agent "ghost"/],
  ])("rejects %o", (request, message) => {
    expect(() => planLanes(config, request)).toThrow(message);
  });
  it("uses the preset's argv for built-in agents", () => {
    const [claude] = planLanes(config, { lanes: 1 });
    expect(claude?.agent.command.slice(0, 4)).toEqual(["claude", "-p", "--output-format", "json"]);
  });
});
