import type { RaceReport } from "../model/race-report.js";
import { reportRows } from "./report-rows.js";
import { spendTotal } from "./spend-total.js";

/** The ranked comparison as a Markdown table (CLI output and the GitHub comparison comment). */
export function renderMarkdownReport(report: RaceReport, options: { links?: Map<number, string>; overlap?: ReadonlyMap<number, string> | undefined } = {}): string {
  const { headers, rows } = reportRows(report, { markdown: true, overlap: options.overlap });
  const escape = (cell: string): string => cell.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const lines = [
    `| ${headers.join(" | ")} |`,
    `|${headers.map(() => " --- ").join("|")}|`,
    ...rows.map((row, i) => {
      const link = options.links?.get(report.lanes[i]?.lane ?? -1);
      const cells = row.map(escape);
      if (link) cells[1] = `[${cells[1]}](${link})`;
      return `| ${cells.join(" | ")} |`;
    }),
  ];
  const winner = report.lanes.find((lane) => lane.lane === report.winner);
  const summary = winner
    ? `**Winner: lane ${winner.lane} (${winner.agent})** on branch \`${winner.branch}\`.`
    : "**No lane passed.**";
  return `${summary}\n\n${lines.join("\n")}\n\n**Total spend:** ${spendTotal(report.lanes)}\n`;
}
