import type { LaneStep } from "../model/lane-event.js";

/** The phases `agent_race_lane_step_seconds` reports; a lane's fine-grained steps fold into them. */
export type MetricStep = "provision" | "agent" | "commit" | "eval" | "push";

const PHASE: Record<LaneStep, MetricStep | null> = {
  queued: null, preparing: "provision", setup: "provision", agent: "agent", committing: "commit", evaluating: "eval", publishing: "push", done: null,
};

interface OpenLane {
  phase: MetricStep | null;
  since: number;
  totals: Map<MetricStep, number>;
}

/** Lanes a process keeps open at most; a lane that never reports `done` (crash) is dropped oldest first. */
const MAX_OPEN = 1000;

/**
 * Turns a lane's event timestamps into time spent per phase. `start` opens a lane in `provision`
 * (mirror fetch counts there); `event` closes the current phase; `done` returns the totals in seconds.
 */
export class LaneStepTimer {
  private readonly open = new Map<string, OpenLane>();

  start(key: string, at: number): void {
    this.open.delete(key);
    this.open.set(key, { phase: "provision", since: at, totals: new Map() });
    if (this.open.size > MAX_OPEN) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
  }

  event(key: string, step: LaneStep, at: number): Array<[MetricStep, number]> | null {
    const lane = this.open.get(key);
    if (!lane) {
      if (step !== "done") this.start(key, at);
      const opened = this.open.get(key);
      if (opened) opened.phase = PHASE[step];
      return null;
    }
    if (lane.phase) lane.totals.set(lane.phase, (lane.totals.get(lane.phase) ?? 0) + Math.max(0, at - lane.since));
    if (step === "done") {
      this.open.delete(key);
      return [...lane.totals].map(([phase, ms]): [MetricStep, number] => [phase, ms / 1000]);
    }
    lane.phase = PHASE[step];
    lane.since = at;
    return null;
  }
}
