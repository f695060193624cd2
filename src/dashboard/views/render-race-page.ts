import { redactSecrets } from "../../pipeline/redact-secrets.js";
import { formatCost, formatDuration, formatTime } from "./format.js";
import { html, safeUrl, type SafeHtml } from "./html.js";
import { renderLane } from "./render-lane.js";
import { isRunning, summarizeRace, type RaceSnapshot } from "./race-summary.js";

/** The fragments of a race page the live script replaces, by element id. */
export function raceFragments(snapshot: RaceSnapshot, now = Date.now()): Record<string, string> {
  return { "race-head": renderRaceHead(snapshot, now).value, "race-lanes": renderRaceLanes(snapshot, now).value };
}

/** Title, links and the race's facts. */
export function renderRaceHead(snapshot: RaceSnapshot, now = Date.now()): SafeHtml {
  const s = summarizeRace(snapshot);
  const duration = s.finishedAt !== null ? html`${formatDuration(s.finishedAt - s.createdAt)}`
    : isRunning(s.state) ? html`<span data-since="${s.createdAt}">${formatDuration(now - s.createdAt)}</span>` : html`—`;
  const { message, picked, mergedPr } = snapshot.meta;
  return html`<p class="muted"><a href="/agent-race">Races</a> / <a href="${safeUrl(s.repoUrl)}">${s.repo}</a> / race <span class="mono">${s.id}</span></p>
<h1><a href="${safeUrl(s.issueUrl)}">#${s.issueNumber}</a> ${s.issueTitle}</h1>
<div class="facts">
<div><span>state</span><b class="badge race-state b-${s.state}" data-state="${s.state}">${s.state}</b></div>
<div><span>trigger</span>${s.trigger} by @${s.sender}</div>
<div><span>mode</span>${snapshot.meta.mode}, ${snapshot.meta.lanes.length} lane${snapshot.meta.lanes.length === 1 ? "" : "s"}</div>
<div><span>started</span>${formatTime(s.createdAt)}</div>
<div><span>duration</span>${duration}</div>
<div><span>cost</span>${formatCost(s.costUsd)}</div>
<div><span>winner</span>${s.winner ? html`lane ${s.winner.lane} (${s.winner.agent})` : "—"}${picked ? html`<br>picked: lane ${picked.lane} by @${picked.by}` : null}</div>
<div><span>pull requests</span>${s.prs.length > 0 ? s.prs.map((pr, i) => html`${i > 0 ? ", " : ""}<a href="${safeUrl(pr.url)}">#${pr.number}</a>`) : "—"}${mergedPr ? html` (#${mergedPr} merged)` : null}</div>
</div>
${message ? html`<div class="note">${redactSecrets(message)}</div>` : null}`;
}

export function renderRaceLanes(snapshot: RaceSnapshot, now = Date.now()): SafeHtml {
  const { meta, lanes } = snapshot;
  return html`${meta.lanes.map((plan) => renderLane(meta, plan, lanes.find((l) => l.lane === plan.lane), now))}`;
}

/** The race page body; `#race-head` and `#race-lanes` are replaced live. */
export function renderRaceBody(snapshot: RaceSnapshot, now = Date.now()): SafeHtml {
  return html`<div id="race-head">${renderRaceHead(snapshot, now)}</div><div id="race-lanes">${renderRaceLanes(snapshot, now)}</div>`;
}
