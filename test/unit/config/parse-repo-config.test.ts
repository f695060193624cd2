import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../../src/config/parse-repo-config.js";
import { ConfigError } from "../../../src/errors.js";

describe("parseRepoConfig", () => {
  it("gives the documented defaults for an empty file", () => {
    expect(parseRepoConfig("", "f.yml")).toEqual({
      lanes: 3, max_lanes: 8, agents: {}, setup: [], copy: [], evals: [], scope: [],
      scope_mode: "warn", ports: { base: 4100 }, timeout: 30 * 60_000, mode: "best", overlap: "warn", max_concurrent_races: 3, branch_retention_days: 7,
      push_failed: false, protected_paths: [], draft: true, evals_network: false,
    });
  });

  it("parses cost budgets, each limit optional", () => {
    expect(parseRepoConfig("budget: { per_race_usd: 5, per_lane_usd: 1.5 }", "f.yml").budget).toEqual({ per_race_usd: 5, per_lane_usd: 1.5 });
    expect(parseRepoConfig("budget: { per_lane_usd: 0.25 }", "f.yml").budget).toEqual({ per_lane_usd: 0.25 });
    expect(parseRepoConfig("", "f.yml").budget).toBeUndefined();
  });

  it("parses agents, evals with every format, durations and setup lines", () => {
    const config = parseRepoConfig(
      [
        "agents:",
        "  mine: { command: [bin/agent, --port, '{port}'], prompt: file, env: [MY_KEY], timeout: 90s }",
        "setup: [npm ci, [make, deps]]",
        "evals:",
        "  - { name: unit, run: npm test, format: 'junit:reports/junit.xml', weight: 2 }",
        "  - { name: golden, run: [python, eval.py], format: json, required: false, timeout: 2h, min_score: 0.8 }",
        "  - { name: tap, run: prove, format: tap }",
      ].join("\n"),
      "f.yml",
    );
    expect(config.agents.mine).toEqual({ command: ["bin/agent", "--port", "{port}"], prompt: "file", env: ["MY_KEY"], timeout: 90_000, output: "text", egress: [], env_values: {} });
    expect(config.setup).toEqual(["npm ci", ["make", "deps"]]);
    expect(config.evals.map((e) => [e.name, e.format, e.required, e.weight, e.timeout])).toEqual([
      ["unit", { kind: "junit", path: "reports/junit.xml" }, true, 2, 600_000],
      ["golden", { kind: "json" }, false, 1, 7_200_000],
      ["tap", { kind: "tap" }, true, 1, 600_000],
    ]);
  });

  it.each([
    ["an unknown key", "lane: 3", /Unrecognized key: "lane"/],
    ["a nested unknown key", "agents:\n  x: { command: [a], promt: arg }", /promt/],
    ["a wrong type", "lanes: '3'", /lanes/],
    ["lanes over max_lanes", "lanes: 99", /lanes \(99\) is more than max_lanes \(8\)/],
    ["max_lanes over the hard cap", "max_lanes: 100", /max_lanes/],
    ["a bad eval format", "evals: [{ name: x, run: y, format: xml }]", /expected exit-code, tap, json or junit/],
    ["a junit path leaving the repo", "evals: [{ name: x, run: y, format: 'junit:../x.xml' }]", /junit/],
    ["a duplicate eval name", "evals: [{ name: x, run: y }, { name: x, run: z }]", /duplicate eval name "x"/],
    ["an agent with neither command nor preset", "agents:\n  mine: { model: x }", /agent "mine" needs a command, or a preset/],
    ["an unknown preset", "agents:\n  mine: { preset: nope }", /preset/],
    ["a copy path outside the repo", "copy: [../secrets]", /relative path inside the repo/],
    ["a bad duration", "timeout: 5 minutes", /expected a duration/],
    ["a bad mode", "mode: fastest", /mode/],
    ["a budget of zero", "budget: { per_race_usd: 0 }", /a budget is a positive amount of US dollars/],
    ["a budget as text", "budget: { per_lane_usd: '$2' }", /per_lane_usd/],
    ["an unknown budget key", "budget: { per_day_usd: 5 }", /Unrecognized key: "per_day_usd"/],
    ["a list at the top level", "- a\n- b", /mapping/],
    ["a custom YAML tag", "lanes: !!js/function 'function(){}'", /not valid YAML/],
    ["duplicate keys", "lanes: 1\nlanes: 2", /not valid YAML/],
    ["an alias bomb", `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]`, /YAML|alias/i],
  ])("rejects %s, naming the file", (_name, yaml, message) => {
    let error: unknown;
    try {
      parseRepoConfig(yaml, ".github/agent-race.yml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(".github/agent-race.yml");
  });

  it("refuses a file over 256 KiB", () => {
    expect(() => parseRepoConfig(`# ${"x".repeat(300 * 1024)}`, "big.yml")).toThrow(/larger than 256 KiB/);
  });
});

describe("agent entries that name a preset", () => {
  it("takes a preset with a model and a base URL, by name or with preset:", () => {
    const config = parseRepoConfig("agents:\n  claude: { model: opus }\n  gw: { preset: codex, base_url: 'http://127.0.0.1:4000/v1', env: [GW_KEY] }", "f.yml");
    expect(config.agents.claude).toEqual({ model: "opus", env: [] });
    expect(config.agents.gw).toEqual({ preset: "codex", base_url: "http://127.0.0.1:4000/v1", env: ["GW_KEY"] });
  });

  it("accepts default_agents naming agents it does not define: the server's agents are merged in later", () => {
    expect(parseRepoConfig("default_agents: [good, bad]", "f.yml").default_agents).toEqual(["good", "bad"]);
  });
});
