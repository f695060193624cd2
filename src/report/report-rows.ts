import { formatDuration } from "./format-duration.js";
import type { EvalResult, LaneResult, RaceReport } from "../model/race-report.js";
import { laneSpend } from "./spend-total.js";

export interface ReportTable {
  headers: string[];
  rows: string[][];
}

/** The comparison table's cells, shared by the Markdown and the terminal renderers. */
export function reportRows(report: RaceReport, options: { markdown: boolean; overlap?: ReadonlyMap<number, string> | undefined }): ReportTable {
  const evalNames = [...new Set(report.lanes.flatMap((lane) => lane.evals.map((e) => e.name)))];
  const overlap = options.overlap;
  const headers = ["#", "Lane", "Agent", "Approach", "Status", ...evalNames, "Score", "Files", "+/-", ...(overlap ? ["Overlap"] : []), "Time", "Tokens", "Spend", "Notes"];
  const rows = report.lanes.map((lane) => [
    lane.lane === report.winner ? `${lane.rank} ${options.markdown ? "🏆" : "*"}` : String(lane.rank),
    String(lane.lane),
    lane.agent,
    lane.approach ?? "",
    statusCell(lane, options.markdown),
    ...evalNames.map((name) => evalCell(lane.evals.find((e) => e.name === name), options.markdown)),
    lane.evals.length > 0 ? lane.score.toFixed(2) : "",
    String(lane.files_changed),
    `+${lane.insertions}/-${lane.deletions}`,
    ...(overlap ? [overlap.get(lane.lane) ?? "—"] : []),
    formatDuration(lane.duration_ms),
    lane.tokens === null ? "" : lane.tokens.toLocaleString("en-US"),
    laneSpend(lane),
    lane.note ?? "",
  ]);
  return { headers, rows };
}

function statusCell(lane: LaneResult, markdown: boolean): string {
  if (!markdown) return lane.status;
  const icon = { passed: "✅", failed: "❌", timeout: "⏱️", error: "⚠️", "no-changes": "➖", "needs-rerun": "🔁", budget: "💸", protected: "🛡️", limit: "🧱" }[lane.status];
  return `${icon} ${lane.status}`;
}

function evalCell(result: EvalResult | undefined, markdown: boolean): string {
  if (!result) return markdown ? "—" : "-";
  const mark = markdown ? (result.passed ? "✅ " : "❌ ") : result.passed ? "ok " : "FAIL ";
  const total = result.passed_count + result.failed_count;
  return `${mark}${total > 0 ? `${result.passed_count}/${total}` : ""}${result.note && !result.passed ? ` (${result.note})` : ""}`.trim();
}
