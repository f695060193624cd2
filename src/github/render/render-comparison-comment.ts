import type { LaneResult, RaceReport } from "../../model/race-report.js";
import { renderMarkdownReport } from "../../report/render-markdown-report.js";
import { fencedLogExcerpt } from "./fenced-log-excerpt.js";
import { fitGitHubText, shortNote } from "./fit-github-text.js";
import { inertText } from "./inert-text.js";
import { redactSecrets } from "../../pipeline/redact-secrets.js";

export interface LaneLinks {
  pr?: { number: number; url: string };
  branchUrl?: string;
}

export interface ComparisonInput {
  report: RaceReport;
  /** Per lane number: its pull request, else its pushed branch. */
  links: Map<number, LaneLinks>;
  /** Per lane number: the lane's log (its tail is shown when no lane passed). */
  logExcerpts: Map<number, string>;
  /** An app-written warning about lanes touching the same files (Markdown). */
  overlapNote?: string;
  /** Per lane number: the overlap column's cell ("#12 clean, #15 conflict"); no column when absent. */
  overlapCells?: ReadonlyMap<number, string>;
  /** Literal secrets to redact from logs and notes besides the known token shapes. */
  secrets?: readonly string[];
}

/** The hidden first line that identifies a race's comparison comment on its issue. */
export function comparisonMarker(raceId: string): string {
  return `<!-- agent-race:comparison:${raceId} -->`;
}

/** The comment posted when a race ends: the ranked table, the pull requests, or why no lane passed. */
export function renderComparisonComment(input: ComparisonInput): string {
  const { report } = input;
  const secrets = input.secrets ?? [];
  const links = new Map<number, string>();
  for (const lane of report.lanes) {
    const link = input.links.get(lane.lane);
    const url = link?.pr?.url ?? link?.branchUrl;
    if (url) links.set(lane.lane, url);
  }
  const parts = [
    `${comparisonMarker(report.id)}\n### 🏁 agent-race results (${report.lanes.length} ${report.lanes.length === 1 ? "lane" : "lanes"}, ${report.mode} mode)`,
  ];
  if (input.overlapNote) parts.push(`> ⚠️ ${shortNote(input.overlapNote, 4_000).replace(/\n/g, "\n> ")}`);
  parts.push(renderMarkdownReport(inertReport(report, secrets), { links, overlap: input.overlapCells }).trimEnd());
  const passed = report.lanes.some((lane) => lane.status === "passed");
  if (passed) parts.push(pullRequestList(report.lanes, input.links));
  else {
    parts.push("No lane passed, so no pull request was opened.");
    for (const lane of report.lanes) parts.push(laneDetails(lane, input.logExcerpts.get(lane.lane), secrets));
  }
  parts.push(
    `<sub>Race \`${report.id}\` · Commands: \`/pick N\` keeps lane N and closes the others · \`/retry N\` runs lane N again · \`/race\` starts a new race</sub>`,
  );
  return fitGitHubText(`${parts.join("\n\n")}\n`, "comment");
}

/** The report with every untrusted string made inert, so the shared table renderer can show it. */
function inertReport(report: RaceReport, secrets: readonly string[]): RaceReport {
  const inert = (text: string): string => inertText(redactSecrets(text, secrets), { maxLength: 200 });
  return {
    ...report,
    lanes: report.lanes.map((lane) => ({
      ...lane,
      agent: inert(lane.agent),
      approach: lane.approach === null ? null : inert(lane.approach),
      note: lane.note === null ? null : inert(lane.note),
      evals: lane.evals.map((result) => ({ ...result, name: inert(result.name), note: result.note === null ? null : inert(result.note) })),
    })),
  };
}

function pullRequestList(lanes: readonly LaneResult[], links: Map<number, LaneLinks>): string {
  const items = lanes.flatMap((lane) => {
    const pr = links.get(lane.lane)?.pr;
    return pr ? [`- Lane ${lane.lane} (${inertText(lane.agent)}): [#${pr.number}](${pr.url})`] : [];
  });
  return items.length > 0 ? `**Pull requests**\n\n${items.join("\n")}` : "**Pull requests**: none was opened.";
}

function laneDetails(lane: LaneResult, log: string | undefined, secrets: readonly string[]): string {
  const note = lane.note ? ` — ${inertText(redactSecrets(lane.note, secrets), { html: true, maxLength: 200 })}` : "";
  const summary = `Lane ${lane.lane} (${inertText(lane.agent, { html: true })}): ${lane.status}${note}`;
  const body = log === undefined ? "No log was kept." : fencedLogExcerpt(log, secrets);
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
