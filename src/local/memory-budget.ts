import type { RaceBudget } from "../config/repo-config.js";
import { budgetReason, reached, type BudgetGuard } from "../pipeline/budget-guard.js";

/** The budget of a local race: every lane runs in this process, so plain counters are enough. */
export class MemoryBudget implements BudgetGuard {
  private raceSpent = 0;
  private readonly laneSpent = new Map<number, number>();
  private stopped: string | null = null;
  private readonly listeners = new Set<(reason: string) => void>();

  constructor(private readonly limits: RaceBudget) {}

  get spentUsd(): number {
    return this.raceSpent;
  }

  async admit(): Promise<string | null> {
    return this.stopped;
  }

  async record(lane: number, totalUsd: number): Promise<string | null> {
    const before = this.laneSpent.get(lane) ?? 0;
    if (totalUsd > before) {
      this.laneSpent.set(lane, totalUsd);
      this.raceSpent += totalUsd - before;
    }
    if (!this.stopped && reached(this.raceSpent, this.limits.per_race_usd)) {
      this.stopped = budgetReason("per_race_usd", this.limits.per_race_usd, this.raceSpent);
      for (const stop of [...this.listeners]) stop(this.stopped);
    }
    const laneTotal = this.laneSpent.get(lane) ?? 0;
    if (reached(laneTotal, this.limits.per_lane_usd)) return budgetReason("per_lane_usd", this.limits.per_lane_usd, laneTotal);
    return this.stopped;
  }

  onRaceStop(stop: (reason: string) => void): () => void {
    this.listeners.add(stop);
    return () => this.listeners.delete(stop);
  }
}
