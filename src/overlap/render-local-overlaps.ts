import type { LocalOverlapReport } from "./find-local-overlaps.js";

/** The text table `agent-race overlap` prints: one row per lane and overlapping branch. Pure. */
export function renderLocalOverlaps(report: LocalOverlapReport): string {
  const checked = report.lanes.filter((lane) => lane.head !== null);
  const lines = [
    `Race ${report.race} (base ${report.base}): ${checked.length} lane ${checked.length === 1 ? "branch" : "branches"} ` +
      `against ${report.other_branches} other ${report.other_branches === 1 ? "branch" : "branches"}.`,
  ];
  for (const lane of report.lanes) if (lane.head === null) lines.push(`Lane ${lane.lane}: branch ${lane.branch} is gone (not checked).`);
  if (report.overlaps.length === 0) {
    lines.push("No overlaps: no other branch changes the files the lanes changed.");
    return `${lines.join("\n")}\n`;
  }
  const rows = report.overlaps.map((o) => [
    String(o.lane),
    o.other_race ? `${o.other} (race ${o.other_race})` : o.other,
    o.kind === "clean" ? "clean" : `conflict: ${o.conflicts.join(", ")}`,
    o.files.join(", "),
  ]);
  const table = [["LANE", "OTHER BRANCH", "RESULT", "SHARED FILES"], ...rows];
  const widths = [0, 1, 2].map((col) => Math.max(...table.map((row) => (row[col] ?? "").length)));
  lines.push("", ...table.map((row) => row.map((cell, col) => (col < 3 ? cell.padEnd(widths[col] ?? 0) : cell)).join("  ").trimEnd()));
  return `${lines.join("\n")}\n`;
}
