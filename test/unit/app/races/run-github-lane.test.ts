import { describe, expect, it } from "vitest";
import { runGitHubLane } from "../../../../src/app/races/run-github-lane.js";
import { resolveServerConfig } from "../../../../src/config/agents/resolve-server-config.js";
import { operatorConfigSchema } from "../../../../src/config/operator-config.js";
import { planAgent } from "../../../../src/app/races/plan-agent.js";

describe("runGitHubLane", () => {
  it("never runs an agent planned for the lane sandbox on a worker without one, and touches nothing first", async () => {
    const operator = operatorConfigSchema.parse({});
    const config = resolveServerConfig(null, operator);
    const touched: string[] = [];
    const run = runGitHubLane(
      {
        raceId: "abc123", repo: { owner: "octo", name: "widgets", cloneUrl: "https://github.com/octo/widgets.git" }, task: "t", baseSha: "a".repeat(40), lanesTotal: 1, config,
        lane: { lane: 1, agent: "claude", approach: null, branch: "agent-race/t-abc123/1-claude", port: 4101, ...planAgent(config, "claude", operator) },
      },
      {
        github: { publishCheckRun: async () => (touched.push("checks"), 1) },
        gitAuth: async () => (touched.push("git"), { token: "x", authHeader: "x", authScope: "https://github.com/" }),
        cacheDir: "/nonexistent", worktreeRoot: "/nonexistent", sandbox: null, isCancelled: async () => false, onEvent: () => touched.push("event"),
      },
    );
    await expect(run).rejects.toThrow(/planned for the lane sandbox, and this worker runs lanes without one/);
    expect(touched).toEqual([]);
  });
});
