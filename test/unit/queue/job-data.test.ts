import { describe, expect, it } from "vitest";
import { planAgent } from "../../../src/app/races/plan-agent.js";
import { resolveServerConfig } from "../../../src/config/agents/resolve-server-config.js";
import { operatorConfigSchema } from "../../../src/config/operator-config.js";
import { JOB_VERSION, laneJobSchema, raceJobSchema, type RaceJob } from "../../../src/queue/job-data.js";

const operator = operatorConfigSchema.parse({ allow_repo_agents: true });
const config = resolveServerConfig("agents:\n  slow: { command: [node, slow.js], timeout: 90s }\n", operator);

function race(lanes: RaceJob["lanes"]): RaceJob {
  return {
    v: JOB_VERSION, raceId: "abc123", installationId: 1, issueNumber: 3, issueTitle: "t", task: "do it", baseSha: "a".repeat(40), configText: null, lanesTotal: lanes.length,
    repo: { id: 9, owner: "octo", name: "widgets", cloneUrl: "https://github.com/octo/widgets.git", htmlUrl: "https://github.com/octo/widgets", defaultBranch: "main" },
    trigger: "label", retry: null, sender: "alice", single: false, lanes,
  };
}

describe("a race job's planned lanes", () => {
  it("carry each agent as resolved at planning, and keep it exactly through Redis (a timeout stays in ms)", () => {
    const lanes = ["slow", "claude"].map((agent, i) => ({ lane: i + 1, agent, approach: null, branch: `agent-race/t-abc123/${i + 1}-${agent}`, port: 4101 + i, ...planAgent(config, agent, operator) }));
    const queued = raceJobSchema.parse(JSON.parse(JSON.stringify(race(lanes))));
    expect(queued.lanes[0]!.spec).toEqual(lanes[0]!.spec);
    expect(queued.lanes[0]!.spec.timeout).toBe(90_000);
    expect(queued.lanes[1]!.spec.command[0]).toBe("claude");
    expect(queued.lanes.map((l) => l.sandboxed)).toEqual([true, true]);
  });

  it("are resolved for an unsandboxed lane when the operator turned the sandbox off", () => {
    const off = operatorConfigSchema.parse({ sandbox: { mode: "none" } });
    expect(planAgent(resolveServerConfig(null, off), "claude", off).sandboxed).toBe(false);
  });

  it("refuse a spec that is not a resolved one (a duration string where ms belong, an unknown key)", () => {
    const lane = { lane: 1, agent: "slow", approach: null, branch: "agent-race/t-abc123/1-slow", port: 4101, sandboxed: true };
    expect(raceJobSchema.safeParse(race([{ ...lane, spec: { ...planAgent(config, "slow", operator).spec, timeout: "90s" } } as never])).success).toBe(false);
    expect(raceJobSchema.safeParse(race([{ ...lane, spec: { ...planAgent(config, "slow", operator).spec, shell: true } } as never])).success).toBe(false);
  });
});

describe("a lane job", () => {
  it("names only its race and lane: the task and config are queued once, in the race job", () => {
    expect(laneJobSchema.parse({ v: JOB_VERSION, raceId: "abc123", lane: 2, task: "copied" })).toEqual({ v: JOB_VERSION, raceId: "abc123", lane: 2 });
  });
});
