import type { Job, Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import { AppMetrics } from "../../../src/metrics/app-metrics.js";
import { laneResult } from "../github/race-fixtures.js";

const fakeQueue = (name: string, counts: Record<string, number>): Queue => ({ name, getJobCounts: async () => counts }) as unknown as Queue;
const fakeJob = (fields: Partial<Job>): Job => fields as Job;

describe("app metrics", () => {
  it("counts races and lanes by outcome, agent tokens and cost", async () => {
    const metrics = new AppMetrics({ defaultMetrics: false });
    metrics.raceFinished("done");
    metrics.raceFinished("done");
    metrics.raceFinished("cancelled");
    metrics.laneFinished(laneResult({ status: "passed", agent: "claude", tokens: 1200, cost_usd: 0.3 }));
    metrics.laneFinished(laneResult({ status: "timeout", agent: "claude", tokens: null, cost_usd: null }));
    const text = await metrics.registry.metrics();
    expect(text).toContain('agent_race_races_total{outcome="done"} 2');
    expect(text).toContain('agent_race_races_total{outcome="cancelled"} 1');
    expect(text).toContain('agent_race_lanes_total{status="passed"} 1');
    expect(text).toContain('agent_race_lanes_total{status="timeout"} 1');
    expect(text).toContain('agent_race_agent_tokens_total{agent="claude"} 1200');
    expect(text).toContain('agent_race_agent_cost_usd_total{agent="claude"} 0.3');
  });

  it("observes queue wait on the first attempt and step durations from lane events", async () => {
    const metrics = new AppMetrics({ defaultMetrics: false });
    metrics.laneStarted(fakeJob({ attemptsMade: 0, timestamp: 1000, processedOn: 4000 }), "r1", 1);
    metrics.laneStarted(fakeJob({ attemptsMade: 1, timestamp: 1000, processedOn: 90_000 }), "r2", 1);
    const at = Date.now();
    for (const [step, offset] of [["preparing", 1000], ["agent", 3000], ["committing", 63_000], ["evaluating", 64_000], ["publishing", 74_000], ["done", 76_000]] as const) {
      metrics.laneEvent("r1", { lane: 1, agent: "claude", step, at: at + offset });
    }
    const text = await metrics.registry.metrics();
    expect(text).toContain("agent_race_lane_wait_seconds_count 1");
    expect(text).toContain("agent_race_lane_wait_seconds_sum 3");
    expect(text).toContain('agent_race_lane_step_seconds_sum{step="agent"} 60');
    expect(text).toContain('agent_race_lane_step_seconds_sum{step="eval"} 10');
    expect(text).toContain('agent_race_lane_step_seconds_sum{step="push"} 2');
    expect(text).toContain('agent_race_lane_step_seconds_sum{step="commit"} 1');
    expect(text).toMatch(/agent_race_lane_step_seconds_sum\{step="provision"\} 3(\.\d+)?\n/);
  });

  it("reads queue depth at scrape time and keeps the last rate-limit value", async () => {
    const metrics = new AppMetrics({ defaultMetrics: false });
    metrics.watchQueues([fakeQueue("lanes", { waiting: 3, active: 2 }), fakeQueue("races", { "waiting-children": 1 })]);
    metrics.rateLimit("core", 4999);
    metrics.rateLimit("core", 4990);
    const text = await metrics.registry.metrics();
    expect(text).toContain('agent_race_queue_jobs{queue="lanes",state="waiting"} 3');
    expect(text).toContain('agent_race_queue_jobs{queue="lanes",state="active"} 2');
    expect(text).toContain('agent_race_queue_jobs{queue="lanes",state="delayed"} 0');
    expect(text).toContain('agent_race_queue_jobs{queue="races",state="waiting-children"} 1');
    expect(text).toContain('agent_race_github_rate_limit_remaining{resource="core"} 4990');
  });

  it("includes the process's default metrics unless told not to", async () => {
    expect(await new AppMetrics().registry.metrics()).toContain("process_cpu_user_seconds_total");
  });
});
