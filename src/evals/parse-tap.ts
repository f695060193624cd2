import type { TestCounts } from "./test-counts.js";

const TEST_LINE = /^(not )?ok\b(.*)$/;
const PLAN_LINE = /^1\.\.(\d+)/;
/** A `# SKIP` or `# TODO` directive (case-insensitive, `SKIPPED` too); `\#` is an escaped hash. */
const DIRECTIVE = /(?<!\\)#\s*(skip|todo)\S*(?:\s|$)/i;

/**
 * Counts top-level TAP test points. Indented lines (subtests, YAML blocks) are ignored.
 * `# SKIP` is skipped; `not ok # TODO` is skipped, `ok # TODO` passed. `Bail out!` and tests the
 * plan promised but never reported count as failed (a bail out at least once).
 */
export function parseTap(text: string): TestCounts {
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  let seen = 0;
  let planned: number | null = null;
  let bailedOut = false;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.replace(/\r$/, "");
    if (/^\s*Bail out!/.test(line)) {
      bailedOut = true;
      break;
    }
    const plan = PLAN_LINE.exec(line);
    if (plan) {
      planned ??= Number(plan[1]);
      continue;
    }
    const test = TEST_LINE.exec(line);
    if (!test) continue;
    seen += 1;
    const failed = test[1] !== undefined;
    const directive = DIRECTIVE.exec(test[2] ?? "")?.[1]?.toLowerCase();
    if (directive === "skip") counts.skipped += 1;
    else if (directive === "todo") counts[failed ? "skipped" : "passed"] += 1;
    else counts[failed ? "failed" : "passed"] += 1;
  }
  const missing = planned !== null && planned > seen ? planned - seen : 0;
  counts.failed += bailedOut ? Math.max(1, missing) : missing;
  return counts;
}
