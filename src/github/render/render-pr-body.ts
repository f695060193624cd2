import { formatDuration } from "../../report/format-duration.js";
import type { LaneResult, RaceReport } from "../../model/race-report.js";
import { fitGitHubText } from "./fit-github-text.js";
import { inertText } from "./inert-text.js";
import { redactSecrets } from "../../pipeline/redact-secrets.js";

const MAX_TITLE_LENGTH = 200;
const STATUS_ICONS: Record<LaneResult["status"], string> = { passed: "✅", failed: "❌", timeout: "⏱️", error: "⚠️", "no-changes": "➖", "needs-rerun": "🔁", budget: "💸", protected: "🛡️", limit: "🧱" };

export interface PrBodyInput {
  issueNumber: number;
  report: RaceReport;
  lane: number;
  mode: "best" | "compare";
  /** The other lanes' pull requests (compare mode). */
  siblings: Array<{ lane: number; agent: string; number: number; url: string }>;
}

/** The hidden marker that ties a pull request to its race and lane. */
export function prMarker(raceId: string, lane: number): string {
  return `<!-- agent-race:pr:${raceId}:${lane} -->`;
}

/**
 * A lane's pull-request body. Best mode closes the issue (`Fixes #N`); compare mode only refers
 * to it, so merging or closing one sibling does not close the issue.
 */
export function renderPrBody(input: PrBodyInput): string {
  const { report, issueNumber } = input;
  const lane = report.lanes.find((candidate) => candidate.lane === input.lane);
  if (!lane) throw new Error(`lane ${input.lane} is not in race ${report.id}`);
  const parts = [
    input.mode === "best"
      ? `Fixes #${issueNumber}`
      : `Refs #${issueNumber} — one of several approaches; pick one with an approving review or \`/pick ${lane.lane}\` on the issue.`,
    `Lane ${lane.lane} (${inertText(lane.agent)}) of agent-race race \`${report.id}\`, branch \`${lane.branch}\`.`,
  ];
  if (lane.approach) parts.push(`**Approach:** ${inertText(lane.approach, { maxLength: 500 })}`);
  if (lane.note) parts.push(`**Note:** ${inertText(redactSecrets(lane.note), { maxLength: 500 })}`);
  parts.push(`### Eval results\n\n${evalTable(lane)}`);
  parts.push(`### Ranking\n\n${ranking(report, lane.lane)}`);
  const siblings = input.siblings.filter((sibling) => sibling.lane !== lane.lane);
  if (input.mode === "compare" && siblings.length > 0) {
    const items = [...siblings]
      .sort((a, b) => a.lane - b.lane)
      .map((sibling) => `- Lane ${sibling.lane} (${inertText(sibling.agent)}): [#${sibling.number}](${sibling.url})`);
    parts.push(`### Other approaches\n\n${items.join("\n")}`);
  }
  // The marker closes the body and must survive a cut.
  return fitGitHubText(parts.join("\n\n"), "pr-body", { suffix: `\n\n${prMarker(report.id, lane.lane)}\n` });
}

/** The pull request's title: the issue's in best mode, prefixed with the lane in compare mode. */
export function prTitle(issueTitle: string, lane: LaneResult, mode: "best" | "compare"): string {
  const title = issueTitle.replace(/\s+/g, " ").trim();
  const full = mode === "best" ? title : `[lane ${lane.lane} · ${lane.agent.replace(/\s+/g, " ")}] ${title}`;
  return full.length > MAX_TITLE_LENGTH ? `${full.slice(0, MAX_TITLE_LENGTH - 1).trimEnd()}…` : full;
}

function evalTable(lane: LaneResult): string {
  if (lane.evals.length === 0) return "No evals ran.";
  const rows = lane.evals.map((result) => {
    const verdict = `${result.passed ? "✅ passed" : "❌ failed"}${result.required ? "" : " (optional)"}`;
    const note = result.note ? inertText(redactSecrets(result.note), { pipes: true, maxLength: 200 }) : "";
    const cells = [inertText(result.name, { pipes: true, maxLength: 200 }), verdict, String(result.passed_count), String(result.failed_count)];
    return `| ${[...cells, result.score.toFixed(2), formatDuration(result.duration_ms), note].join(" | ")} |`;
  });
  return [
    "| Eval | Result | Passed | Failed | Score | Time | Note |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Overall score **${lane.score.toFixed(2)}** in ${formatDuration(lane.duration_ms)}.`,
  ].join("\n");
}

function ranking(report: RaceReport, current: number): string {
  return report.lanes
    .map((lane) => {
      const trophy = lane.lane === report.winner ? " 🏆" : "";
      const score = lane.evals.length > 0 ? ` · score ${lane.score.toFixed(2)}` : "";
      const self = lane.lane === current ? " ← this pull request" : "";
      return `${lane.rank}.${trophy} lane ${lane.lane} · ${inertText(lane.agent)} · ${STATUS_ICONS[lane.status]} ${lane.status}${score}${self}`;
    })
    .join("\n");
}
