/**
 * A race's cost budget as the lane recipe sees it. The local CLI keeps the books in memory
 * (`MemoryBudget`); the GitHub App keeps them in Redis so lanes on every worker share them.
 * Spend is what agents report; an agent that reports no cost is never stopped by its own spend.
 */
export interface BudgetGuard {
  /** Before a lane starts: null to go ahead, else which budget is already spent. */
  admit(lane: number): Promise<string | null>;
  /** The lane's agent reported `totalUsd` so far (cumulative); returns which budget stops the lane, else null. */
  record(lane: number, totalUsd: number): Promise<string | null>;
  /** Calls `stop(reason)` when the race's budget runs out, whichever lane spent it; returns an unsubscribe. */
  onRaceStop(stop: (reason: string) => void): () => void;
}

/** Compares money with a little slack, so $0.1 + $0.2 reaches a $0.30 limit. */
export function reached(spentUsd: number, limitUsd: number | undefined): limitUsd is number {
  return limitUsd !== undefined && spentUsd >= limitUsd - 1e-9;
}

/** The note a lane gets when a budget stops or skips it, e.g. `per_race_usd $1.00 reached ($1.02 spent)`. */
export function budgetReason(key: "per_lane_usd" | "per_race_usd" | "per_installation_usd_per_day", limitUsd: number, spentUsd: number): string {
  return `budget ${key} ${usd(limitUsd)} reached (${usd(spentUsd)} spent${key === "per_installation_usd_per_day" ? " today" : ""})`;
}

function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}
