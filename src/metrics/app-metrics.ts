import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { LaneEvent } from "../model/lane-event.js";
import type { LaneResult } from "../model/race-report.js";
import { LaneStepTimer } from "./lane-step-timer.js";

const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children", "failed"] as const;
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];

export type RaceOutcome = "done" | "failed" | "cancelled";

/** A queue as `/metrics` reads it at scrape time: its name and its jobs per state (a BullMQ `Queue`). */
export interface CountedQueue {
  readonly name: string;
  getJobCounts(...states: Array<(typeof QUEUE_STATES)[number]>): Promise<Record<string, number>>;
}

/** When a job was queued and first taken, and how often it was tried before (a BullMQ `Job`). */
export interface JobTiming {
  attemptsMade: number;
  timestamp: number;
  processedOn?: number | undefined;
}

/**
 * This process's Prometheus metrics, in a registry of its own (docs/dashboard.md lists them).
 * Workers report races, lanes and agent usage; queue depth is read from Redis on every scrape.
 */
export class AppMetrics {
  readonly registry = new Registry();
  private queues: readonly CountedQueue[] = [];
  private readonly timer = new LaneStepTimer();
  private readonly races = new Counter({ name: "agent_race_races_total", help: "Races finished by this process, by outcome", labelNames: ["outcome"], registers: [this.registry] });
  private readonly lanes = new Counter({ name: "agent_race_lanes_total", help: "Lanes finished by this process, by status", labelNames: ["status"], registers: [this.registry] });
  private readonly steps = new Histogram({
    name: "agent_race_lane_step_seconds", help: "Time a lane spent per step (provision, agent, commit, eval, push)",
    labelNames: ["step"], buckets: DURATION_BUCKETS, registers: [this.registry],
  });
  private readonly wait = new Histogram({
    name: "agent_race_lane_wait_seconds", help: "Time a lane job waited in the queue before a worker took it (first attempt)",
    buckets: DURATION_BUCKETS, registers: [this.registry],
  });
  private readonly tokens = new Counter({ name: "agent_race_agent_tokens_total", help: "Tokens agents reported, by agent", labelNames: ["agent"], registers: [this.registry] });
  private readonly cost = new Counter({ name: "agent_race_agent_cost_usd_total", help: "Cost in USD agents reported, by agent", labelNames: ["agent"], registers: [this.registry] });
  private readonly rateLimitRemaining = new Gauge({
    name: "agent_race_github_rate_limit_remaining", help: "GitHub API requests left in the current window (x-ratelimit-remaining of the last response)",
    labelNames: ["resource"], registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const depth: Gauge = new Gauge({
      name: "agent_race_queue_jobs", help: "Jobs per BullMQ queue and state, read from Redis at scrape time",
      labelNames: ["queue", "state"], registers: [this.registry],
      collect: async () => {
        for (const queue of this.queues) {
          const counts = await queue.getJobCounts(...QUEUE_STATES).catch(() => null);
          for (const state of QUEUE_STATES) if (counts) depth.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
  }

  /** The queues whose depth `/metrics` reports. */
  watchQueues(queues: readonly CountedQueue[]): void {
    this.queues = queues;
  }

  /** A lane job starts: its queue wait (first attempt only) and the start of its provision step. */
  laneStarted(job: JobTiming, raceId: string, lane: number): void {
    if (job.attemptsMade === 0 && job.processedOn) this.wait.observe(Math.max(0, job.processedOn - job.timestamp) / 1000);
    this.timer.start(`${raceId}:${lane}`, Date.now());
  }

  laneEvent(raceId: string, event: LaneEvent): void {
    for (const [step, seconds] of this.timer.event(`${raceId}:${event.lane}`, event.step, event.at) ?? []) this.steps.observe({ step }, seconds);
  }

  laneFinished(result: LaneResult): void {
    this.lanes.inc({ status: result.status });
    if (result.tokens !== null && result.tokens > 0) this.tokens.inc({ agent: result.agent }, result.tokens);
    if (result.cost_usd !== null && result.cost_usd > 0) this.cost.inc({ agent: result.agent }, result.cost_usd);
  }

  raceFinished(outcome: RaceOutcome): void {
    this.races.inc({ outcome });
  }

  rateLimit(resource: string, remaining: number): void {
    this.rateLimitRemaining.set({ resource }, remaining);
  }
}
