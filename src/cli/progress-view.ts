import { formatDuration } from "../report/format-duration.js";
import type { LaneEvent, LaneStep } from "../model/lane-event.js";

const STEP_TEXT: Record<LaneStep, string> = {
  queued: "queued",
  preparing: "preparing worktree",
  setup: "running setup",
  agent: "agent running",
  committing: "committing",
  evaluating: "evaluating",
  publishing: "pushing",
  done: "done",
};

interface LaneLine {
  agent: string;
  step: LaneStep;
  text: string;
  since: number;
  started: number;
}

/**
 * Shows each lane's state. On a TTY it redraws a block of lines in place with elapsed times;
 * otherwise it prints one plain line per change.
 */
export class ProgressView {
  private readonly lanes = new Map<number, LaneLine>();
  private timer: NodeJS.Timeout | undefined;
  private drawn = 0;

  constructor(private readonly out: NodeJS.WriteStream, private readonly live = Boolean(out.isTTY)) {}

  onEvent = (event: LaneEvent): void => {
    const previous = this.lanes.get(event.lane);
    const text = event.step === "done" ? `${event.status ?? "done"}${event.detail ? ` (${event.detail})` : ""}` : STEP_TEXT[event.step];
    this.lanes.set(event.lane, { agent: event.agent, step: event.step, text, since: event.at, started: previous?.started ?? event.at });
    if (!this.live) {
      this.out.write(`[lane ${event.lane} ${event.agent}] ${text}\n`);
      return;
    }
    this.timer ??= setInterval(() => this.draw(), 250);
    this.draw();
  };

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live) this.draw();
  }

  private draw(): void {
    const now = Date.now();
    const lines = [...this.lanes.entries()]
      .sort(([a], [b]) => a - b)
      .map(([lane, line]) => {
        const elapsed = line.step === "done" ? formatDuration(line.since - line.started) : formatDuration(now - line.started);
        return `  lane ${String(lane).padEnd(2)} ${line.agent.padEnd(12)} ${elapsed.padStart(7)}  ${line.text}`;
      });
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : "";
    this.out.write(`${up}${lines.map((l) => `\x1b[2K${l}`).join("\n")}\n`);
    this.drawn = lines.length;
  }
}
