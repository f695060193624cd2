import { formatDuration } from "../../report/format-duration.js";
import type { LaneStep } from "../../model/lane-event.js";
import type { LaneStatus } from "../../model/race-report.js";
import { fitGitHubText, shortNote } from "./fit-github-text.js";
import { inertText } from "./inert-text.js";
import { redactSecrets } from "../../pipeline/redact-secrets.js";
import { statusMarker } from "./status-marker.js";
import type { RaceState } from "../../model/race-state.js";
import type { LaneStatusView, StatusView } from "./status-view.js";

export { statusMarker } from "./status-marker.js";

const STEP_LABELS: Record<Exclude<LaneStep, "done">, string> = {
  queued: "⏳ queued",
  preparing: "🛠️ preparing worktree",
  setup: "🛠️ preparing worktree",
  agent: "🤖 agent running",
  committing: "📝 committing",
  evaluating: "🧪 evaluating",
  publishing: "⬆️ pushing",
};

const STATUS_LABELS: Record<LaneStatus, string> = {
  passed: "✅ passed",
  failed: "❌ failed",
  timeout: "⏱️ timeout",
  error: "⚠️ error",
  "no-changes": "➖ no changes",
  "needs-rerun": "🔁 needs re-run",
  budget: "💸 budget",
  protected: "🛡️ protected paths",
  limit: "🧱 sandbox cap",
};

const UNSANDBOXED = "> [!WARNING]\n> This server runs lanes **unsandboxed** (`sandbox: none`): the agents, setup and evals run with the worker's own privileges.";

/** The most of an app-written message (it may quote an error) the comment shows. */
const MAX_MESSAGE = 4_000;

const ACTIVE_STATES: ReadonlySet<RaceState> = new Set(["waiting", "queued", "running", "finishing"]);

/** The live status comment on the issue: a hidden marker, a heading, one row per lane, and the commands. */
export function renderStatusComment(input: StatusView): string {
  const active = ACTIVE_STATES.has(input.state);
  const lines = [statusMarker(input.raceId), `### ${heading(input)}`, ""];
  if (input.unsandboxed) lines.push(UNSANDBOXED, "");
  if (input.message) lines.push(shortNote(redactSecrets(input.message), MAX_MESSAGE), "");
  lines.push("| Lane | Agent | Approach | State | Time |", "| --- | --- | --- | --- | --- |");
  for (const lane of [...input.lanes].sort((a, b) => a.lane - b.lane)) {
    const approach = lane.approach ? inertText(lane.approach, { pipes: true, maxLength: 120 }) : "—";
    const agent = inertText(lane.agent, { pipes: true, maxLength: 60 });
    lines.push(`| ${lane.lane} | ${agent} | ${approach} | ${stateCell(lane, input.state)} | ${timeCell(lane, input.now, active)} |`);
  }
  lines.push("", `<sub>Race \`${input.raceId}\` · ${footer(input.state)}</sub>`);
  return fitGitHubText(`${lines.join("\n")}\n`, "comment");
}

function heading(view: StatusView): string {
  const count = `${view.lanes.length} ${view.lanes.length === 1 ? "lane" : "lanes"}`;
  switch (view.state) {
    case "waiting":
      return `⏸️ agent-race: ${count}, ${waitingFor(view.waiting)}`;
    case "queued":
      return `🏁 agent-race: racing ${count} (queued)`;
    case "running":
      return `🏁 agent-race: racing ${count}`;
    case "finishing":
      return `🏁 agent-race: racing ${count} (finishing up)`;
    case "done":
      return "🏁 agent-race: finished";
    case "cancelled":
      return "🛑 agent-race: cancelled";
    case "failed":
      return "⚠️ agent-race: failed";
  }
}

function waitingFor(waiting: StatusView["waiting"]): string {
  const refs = (waiting?.for ?? []).map((n) => `#${n}`).join(", ");
  if (!waiting || waiting.reason === "slot" || !refs) return "waiting for a free race slot (`max_concurrent_races`)";
  return waiting.reason === "merge" ? `waiting for ${refs} to be merged or closed` : `waiting for ${refs}`;
}

function stateCell(lane: LaneStatusView, state: RaceState): string {
  let label: string;
  if (lane.step === "done") label = lane.status ? STATUS_LABELS[lane.status] : "✔️ done";
  else if (state === "cancelled") label = "🛑 cancelled";
  else if (state === "failed" || state === "done") label = "⚠️ stopped";
  else label = STEP_LABELS[lane.step];
  const detail = lane.detail ? inertText(redactSecrets(lane.detail), { pipes: true, maxLength: 100 }) : "";
  return detail ? `${label} — ${detail}` : label;
}

function timeCell(lane: LaneStatusView, now: number, active: boolean): string {
  if (lane.startedAt === null) return "—";
  const end = lane.step === "done" || !active ? lane.updatedAt : now;
  return formatDuration(Math.max(0, end - lane.startedAt));
}

function footer(state: RaceState): string {
  if (ACTIVE_STATES.has(state)) return "Commands: `/cancel` stops this race · `/race` starts a new one · `/help` lists all";
  if (state === "done") return "Commands: `/pick N` keeps lane N · `/retry N` runs lane N again · `/race` starts a new race · `/help` lists all";
  return "Commands: `/race` starts a new race · `/help` lists all";
}
