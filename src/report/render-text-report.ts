import type { RaceReport } from "../model/race-report.js";
import { reportRows } from "./report-rows.js";
import { spendTotal } from "./spend-total.js";

/** The ranked comparison as an aligned plain-text table for terminals. */
export function renderTextReport(report: RaceReport): string {
  const { headers, rows } = reportRows(report, { markdown: false });
  const all = [headers, ...rows];
  const widths = headers.map((_, col) => Math.min(60, Math.max(...all.map((row) => (row[col] ?? "").length))));
  const line = (row: string[]): string =>
    row.map((cell, col) => truncate(cell, widths[col] ?? 0).padEnd(widths[col] ?? 0)).join("  ").trimEnd();
  const winner = report.lanes.find((lane) => lane.lane === report.winner);
  const footer = winner
    ? `Winner: lane ${winner.lane} (${winner.agent}), branch ${winner.branch}\nKeep it: agent-race pick ${report.id} ${winner.lane}`
    : "No lane passed.";
  return [`Race ${report.id}: ${report.task.split("\n")[0]}`, "", line(headers), ...rows.map(line), "", `Total spend: ${spendTotal(report.lanes)}`, footer, ""].join("\n");
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
