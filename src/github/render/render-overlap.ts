import { inertText } from "./inert-text.js";
import type { ClassifiedOverlap } from "../../model/overlap.js";

const MAX_PRS = 10;
const MAX_CONFLICT_PATHS = 3;
const MAX_CELL_PRS = 5;

/**
 * The PR-body line for one lane, e.g. "Touches files also changed by #12 (clean), #15 (conflict: src/a.ts)";
 * empty when the lane overlaps nothing. Paths are inert Markdown. Pure.
 */
export function renderOverlapSection(overlaps: readonly ClassifiedOverlap[], lane: number): string {
  const { shown, hidden } = forLane(overlaps, lane, MAX_PRS);
  if (shown.length === 0) return "";
  const items = shown.map((o) => {
    if (o.kind === "clean") return `#${o.pr.number} (clean)`;
    const paths = o.conflicts.slice(0, MAX_CONFLICT_PATHS).map((path) => inertText(path, { maxLength: 120 }));
    const more = o.conflicts.length > MAX_CONFLICT_PATHS ? ` +${o.conflicts.length - MAX_CONFLICT_PATHS} more` : "";
    return `#${o.pr.number} (conflict: ${paths.join(", ")}${more})`;
  });
  return `Touches files also changed by ${items.join(", ")}${hidden > 0 ? ` and ${hidden} more` : ""}`;
}

/** The comparison-table cell for one lane, e.g. "#12 clean, #15 conflict"; "—" when none. Pure. */
export function renderOverlapCell(overlaps: readonly ClassifiedOverlap[], lane: number): string {
  const { shown, hidden } = forLane(overlaps, lane, MAX_CELL_PRS);
  if (shown.length === 0) return "—";
  return `${shown.map((o) => `#${o.pr.number} ${o.kind}`).join(", ")}${hidden > 0 ? ` +${hidden} more` : ""}`;
}

/** Up to `limit` of one lane's overlaps (one per PR, conflicts kept first when cutting), shown by PR number. */
function forLane(overlaps: readonly ClassifiedOverlap[], lane: number, limit: number): { shown: ClassifiedOverlap[]; hidden: number } {
  const byPr = new Map<number, ClassifiedOverlap>();
  for (const o of overlaps) if (o.lane === lane && !byPr.has(o.pr.number)) byPr.set(o.pr.number, o);
  const kept = [...byPr.values()]
    .sort((a, b) => Number(a.kind === "clean") - Number(b.kind === "clean") || a.pr.number - b.pr.number)
    .slice(0, limit);
  return { shown: kept.sort((a, b) => a.pr.number - b.pr.number), hidden: byPr.size - kept.length };
}
