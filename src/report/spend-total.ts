import { formatDuration } from "./format-duration.js";
import type { LaneResult } from "../model/race-report.js";

/** A lane's spend: the cost its agent reported, else its wall time (agents that report no cost). */
export function laneSpend(lane: LaneResult): string {
  return lane.cost_usd === null ? `${formatDuration(lane.duration_ms)} wall` : `$${lane.cost_usd.toFixed(2)}`;
}

/** The race's spend in one line: the reported dollars, plus the wall time of lanes that reported none. */
export function spendTotal(lanes: readonly LaneResult[]): string {
  const priced = lanes.filter((lane) => lane.cost_usd !== null);
  const unpriced = lanes.filter((lane) => lane.cost_usd === null);
  const parts: string[] = [];
  if (priced.length > 0) {
    const usd = priced.reduce((sum, lane) => sum + (lane.cost_usd ?? 0), 0);
    parts.push(`$${usd.toFixed(2)} reported by ${count(priced.length)}`);
  }
  if (unpriced.length > 0) {
    const ms = unpriced.reduce((sum, lane) => sum + lane.duration_ms, 0);
    parts.push(`${formatDuration(ms)} wall time of ${count(unpriced.length)} without a reported cost`);
  }
  return parts.length > 0 ? parts.join(" + ") : "nothing";
}

function count(lanes: number): string {
  return `${lanes} ${lanes === 1 ? "lane" : "lanes"}`;
}
