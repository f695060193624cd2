import type { BudgetGuard } from "./budget-guard.js";

/**
 * How long an agent whose own report reached a limit may take to exit by itself. Agents usually
 * report their cost in a last `result` event just before they exit (Claude Code's `-p` does), and
 * a run that finished is worth keeping; one that keeps working is stopped when the moment passes.
 */
export const OWN_REPORT_GRACE_MS = 500;

/**
 * One lane's side of the race budget: a signal that also aborts when the budget stops the lane
 * (its own limit, or the race's spent by any lane), and the agent's cost reports passed on to the
 * guard in the order they came.
 */
export class LaneBudget {
  /** The lane's signal (cancel or shutdown) joined with the budget's stop. */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private reason: string | null = null;
  private reports: Promise<void> = Promise.resolve();
  private recording = false;
  private graceTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly guard: BudgetGuard | undefined,
    private readonly lane: number,
    signal: AbortSignal | undefined,
  ) {
    this.signal = signal ? AbortSignal.any([signal, this.controller.signal]) : this.controller.signal;
    // A race stop that this lane's own report set off (delivered while recording) gets the grace too.
    this.unsubscribe = guard?.onRaceStop((reason) => this.stop(reason, this.recording)) ?? (() => undefined);
  }

  /** Admits the lane, or returns why it may not start because a budget is already spent. */
  static async start(guard: BudgetGuard | undefined, lane: number, signal: AbortSignal | undefined): Promise<LaneBudget | string> {
    const refused = guard ? await guard.admit(lane) : null;
    return refused ? `not started: ${refused}` : new LaneBudget(guard, lane, signal);
  }

  /** Why the budget stopped this lane, once it has. */
  get stopReason(): string | null {
    return this.reason && this.controller.signal.aborted ? `stopped: ${this.reason}` : null;
  }

  /** The limit the lane's spend reached, whether or not its agent was stopped for it. */
  get reached(): string | null {
    return this.reason;
  }

  /** The agent's cumulative cost so far; a report that reaches a limit stops the lane. */
  readonly report = (totalUsd: number): void => {
    const guard = this.guard;
    if (!guard) return;
    // A guard that cannot record (Redis down) logs it; the lane runs on rather than fail.
    this.reports = this.reports
      .then(async () => {
        this.recording = true;
        try {
          const reason = await guard.record(this.lane, totalUsd);
          if (reason) this.stop(reason, true);
        } finally {
          this.recording = false;
        }
      })
      .catch(() => undefined);
  };

  /** After the agent: its final cost is recorded and budget stops no longer reach the lane. */
  async settle(totalUsd: number | null): Promise<void> {
    this.unsubscribe();
    clearTimeout(this.graceTimer);
    if (totalUsd !== null) this.report(totalUsd);
    await this.reports;
    clearTimeout(this.graceTimer);
  }

  private stop(reason: string, ownReport: boolean): void {
    if (this.reason) return;
    this.reason = reason;
    if (!ownReport) this.controller.abort();
    else this.graceTimer = setTimeout(() => this.controller.abort(), OWN_REPORT_GRACE_MS);
  }
}
