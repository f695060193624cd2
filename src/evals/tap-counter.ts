import type { TestCounts } from "./test-counts.js";

const TEST_LINE = /^(not )?ok\b(.*)$/;
const PLAN_LINE = /^1\.\.(\d+)/;
/** A `# SKIP` or `# TODO` directive (case-insensitive, `SKIPPED` too); `\#` is an escaped hash. */
const DIRECTIVE = /(?<!\\)#\s*(skip|todo)\S*(?:\s|$)/i;
/** Longer lines are not test points anyone writes; skipping them keeps each line's cost bounded. */
const MAX_LINE = 64 * 1024;

/**
 * Counts top-level TAP test points one line at a time, so a TAP stream is counted while it
 * arrives and never has to be held, or parsed, whole. Indented lines (subtests, YAML blocks) are
 * ignored. `# SKIP` is skipped; `not ok # TODO` is skipped, `ok # TODO` passed. `Bail out!` and
 * tests the plan promised but never reported count as failed (a bail out at least once).
 */
export class TapCounter {
  private readonly counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  private seen = 0;
  private planned: number | null = null;
  private bailedOut = false;

  push(rawLine: string): void {
    if (this.bailedOut || rawLine.length > MAX_LINE) return;
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (/^\s*Bail out!/.test(line)) {
      this.bailedOut = true;
      return;
    }
    const plan = PLAN_LINE.exec(line);
    if (plan) {
      this.planned ??= Number(plan[1]);
      return;
    }
    const test = TEST_LINE.exec(line);
    if (!test) return;
    this.seen += 1;
    const failed = test[1] !== undefined;
    const directive = DIRECTIVE.exec(test[2] ?? "")?.[1]?.toLowerCase();
    if (directive === "skip") this.counts.skipped += 1;
    else if (directive === "todo") this.counts[failed ? "skipped" : "passed"] += 1;
    else this.counts[failed ? "failed" : "passed"] += 1;
  }

  /** The counts so far, with the plan's missing tests and a bail out counted as failed. */
  result(): TestCounts {
    const missing = this.planned !== null && this.planned > this.seen ? this.planned - this.seen : 0;
    return { ...this.counts, failed: this.counts.failed + (this.bailedOut ? Math.max(1, missing) : missing) };
  }
}
