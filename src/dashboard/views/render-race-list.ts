import type { LaneState } from "../../model/race-state.js";
import { formatCost, formatDuration, formatTime } from "./format.js";
import { html, safeUrl, type SafeHtml } from "./html.js";
import { laneStateText } from "./render-lane.js";
import { isRunning, summarizeRace, type RaceSnapshot } from "./race-summary.js";

/** The race list's rows (`#race-rows`, replaced live). */
export function renderRaceRows(snapshots: readonly RaceSnapshot[], now = Date.now()): SafeHtml {
  if (snapshots.length === 0) return html`<tr><td colspan="10" class="empty">No races yet. Label an issue <code>agent:race</code> or comment <code>/race</code>.</td></tr>`;
  return html`${snapshots.map((snapshot) => renderRow(snapshot, now))}`;
}

function renderRow(snapshot: RaceSnapshot, now: number): SafeHtml {
  const s = summarizeRace(snapshot);
  const duration = s.finishedAt !== null ? formatDuration(s.finishedAt - s.createdAt)
    : isRunning(s.state) ? html`<span data-since="${s.createdAt}">${formatDuration(now - s.createdAt)}</span>` : "—";
  return html`<tr class="race" data-race="${s.id}" data-repo="${s.repo}">
<td><a href="/agent-race/races/${s.id}" class="mono">${s.id}</a><div class="muted">${formatTime(s.createdAt)}</div></td>
<td><a href="${safeUrl(s.repoUrl)}">${s.repo}</a></td>
<td><a href="${safeUrl(s.issueUrl)}">#${s.issueNumber}</a> ${s.issueTitle}</td>
<td>${s.trigger}<div class="muted">@${s.sender}</div></td>
<td class="lanes-mini">${snapshot.meta.lanes.map((plan) => laneChip(plan.lane, plan.agent, snapshot.lanes.find((l) => l.lane === plan.lane)))}</td>
<td><span class="badge race-state b-${s.state}">${s.state}</span></td>
<td>${duration}</td>
<td>${formatCost(s.costUsd)}</td>
<td>${s.winner ? `${s.winner.lane} (${s.winner.agent})` : "—"}</td>
<td>${s.prs.length > 0 ? s.prs.map((pr, i) => html`${i > 0 ? " " : ""}<a href="${safeUrl(pr.url)}">#${pr.number}</a>`) : "—"}</td>
</tr>`;
}

function laneChip(lane: number, agent: string, state: LaneState | undefined): SafeHtml {
  const text = state ? laneStateText(state) : "queued";
  const cls = !state || state.step === "queued" ? "b-queued" : state.step === "done" ? `b-${state.status ?? "done"}` : "b-running";
  return html`<span class="badge ${cls}" title="lane ${lane} (${agent}): ${text}">${lane} ${agent}: ${text}</span> `;
}

/** The list page body. */
export function renderRaceList(snapshots: readonly RaceSnapshot[], now = Date.now()): SafeHtml {
  return html`<h1>Races</h1><p class="muted">The most recent races (30 days), newest first. Updates live.</p>
<div class="card"><table><thead><tr><th>race</th><th>repository</th><th>issue</th><th>trigger</th><th>lanes</th><th>state</th><th>duration</th><th>cost</th><th>winner</th><th>PRs</th></tr></thead>
<tbody id="race-rows">${renderRaceRows(snapshots, now)}</tbody></table></div>`;
}
