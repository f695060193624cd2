import { redactSecrets } from "../../pipeline/redact-secrets.js";
import type { LaneStep } from "../../model/lane-event.js";
import type { EvalResult } from "../../model/race-report.js";
import type { LaneState, RaceMeta } from "../../model/race-state.js";
import { formatCost, formatDuration } from "./format.js";
import { html, safeUrl, type SafeHtml } from "./html.js";

const STEPS: ReadonlyArray<[LaneStep, string]> = [
  ["preparing", "worktree"], ["setup", "setup"], ["agent", "agent"], ["committing", "commit"], ["evaluating", "evals"], ["publishing", "push"], ["done", "done"],
];
const STEP_TEXT: Record<LaneStep, string> = {
  queued: "queued", preparing: "preparing worktree", setup: "running setup", agent: "agent running", committing: "committing",
  evaluating: "evaluating", publishing: "pushing", done: "done",
};

/** The lane's state as one word: its final status once done, else its step. */
export function laneStateText(state: LaneState): string {
  return state.step === "done" ? (state.status ?? "done") : STEP_TEXT[state.step];
}

function badgeClass(state: LaneState): string {
  if (state.step === "done") return `b-${state.status ?? "done"}`;
  return state.step === "queued" ? "b-queued" : "b-running";
}

/** One lane's card: steps, state, result numbers, eval table and the (redacted) tail of its log. */
export function renderLane(meta: RaceMeta, plan: RaceMeta["lanes"][number], state: LaneState | undefined, now = Date.now()): SafeHtml {
  const lane: LaneState = state ?? { lane: plan.lane, agent: plan.agent, approach: plan.approach, step: "queued", startedAt: null, updatedAt: now };
  const current = STEPS.findIndex(([step]) => step === lane.step);
  const result = lane.result;
  const pr = meta.prs[String(plan.lane)];
  const elapsed = lane.startedAt === null ? null
    : lane.step === "done" ? html`${formatDuration((result?.duration_ms ?? lane.updatedAt - lane.startedAt))}`
    : html`<span data-since="${lane.startedAt}">${formatDuration(now - lane.startedAt)}</span>`;
  const note = result?.note ?? lane.detail;
  return html`<section class="card lane" id="lane-${plan.lane}" data-lane="${plan.lane}">
<div class="head"><h2>Lane ${plan.lane} · ${plan.agent}</h2>
<span class="badge lane-state ${badgeClass(lane)}" data-state="${lane.step === "done" ? lane.status ?? "done" : lane.step}">${laneStateText(lane)}</span>
${elapsed ? html`<span class="muted">${elapsed}</span>` : null}
${plan.approach ? html`<span class="muted">approach: ${plan.approach}</span>` : null}
${pr ? html`<a href="${safeUrl(pr.url)}">PR #${pr.number}</a>` : null}</div>
<div class="body">
<ul class="steps">${STEPS.map(([, label], i) => html`<li class="${lane.step === "done" || i < current ? "past" : i === current ? "now" : ""}">${label}</li>`)}</ul>
${result ? html`<div class="stats">
<span>score <b>${result.score.toFixed(2)}</b></span>
<span><b>${result.files_changed}</b> files <span class="plus">+${result.insertions}</span> <span class="minus">−${result.deletions}</span></span>
<span>tokens <b>${result.tokens ?? "—"}</b></span><span>cost <b>${formatCost(result.cost_usd)}</b></span>
<span>branch <a class="mono" href="${safeUrl(`${meta.repo.htmlUrl}/tree/${plan.branch}`)}">${plan.branch}</a></span>
${result.out_of_scope.length > 0 ? html`<span class="bad">out of scope: ${result.out_of_scope.join(", ")}</span>` : null}</div>` : null}
${note ? html`<div class="note">${redactSecrets(note)}</div>` : null}
${result && result.evals.length > 0 ? renderEvals(result.evals) : null}
${lane.logTail ? html`<details class="log-box" open><summary>log (last lines, redacted)</summary><pre class="log">${redactSecrets(lane.logTail)}</pre></details>`
    : lane.step !== "done" ? html`<p class="muted">The log tail appears when the lane finishes.</p>` : null}
</div></section>`;
}

function renderEvals(evals: EvalResult[]): SafeHtml {
  return html`<table class="evals"><thead><tr><th>eval</th><th>result</th><th>tests</th><th>score</th><th>time</th><th>note</th></tr></thead><tbody>
${evals.map((e) => html`<tr><td>${e.name}${e.required ? null : html` <span class="muted">(optional)</span>`}</td>
<td class="${e.passed ? "ok" : "bad"}">${e.passed ? "✓ passed" : "✗ failed"}</td>
<td>${e.passed_count + e.failed_count > 0 ? `${e.passed_count}/${e.passed_count + e.failed_count}` : "—"}</td>
<td>${e.score.toFixed(2)}</td><td>${formatDuration(e.duration_ms)}</td><td>${e.note ? redactSecrets(e.note) : ""}</td></tr>`)}
</tbody></table>`;
}
