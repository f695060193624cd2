import type { Logger } from "pino";
import { comparisonMarker, renderComparisonComment } from "../../github/render/render-comparison-comment.js";
import { prTitle, renderPrBody } from "../../github/render/render-pr-body.js";
import type { RaceMeta } from "../../model/race-state.js";
import type { TriggerDeps } from "./trigger-deps.js";

/**
 * Picks a lane of a finished race: its PR is (re)opened and marked ready for review with
 * "Chosen over lanes …", every sibling PR is closed with a link and its branch deleted, and the
 * comparison comment marks the winner. Picking again before a merge switches the choice and
 * reopens what the last pick closed (restoring the branch from the lane's recorded head).
 */
export async function pickRaceLane(meta: RaceMeta, lane: number, by: string, deps: TriggerDeps, log: Logger): Promise<string> {
  const reply = (body: string) => deps.github.comment(meta.issueNumber, body);
  if (meta.mergedPr) return reply(`This race is finished: #${meta.mergedPr} was merged.`).then(() => "race-finished");
  const report = meta.report;
  if (!report || meta.state === "running" || meta.state === "queued" || meta.state === "finishing") return reply("The race is still running; pick a lane once it has finished.").then(() => "not-finished");
  const chosen = report.lanes.find((l) => l.lane === lane);
  if (!chosen?.head) return reply(`Lane ${lane} has no changes to pick${chosen ? ` (it ended as ${chosen.status})` : ""}.`).then(() => "nothing-to-pick");

  await deps.github.restoreBranch(chosen.branch, chosen.head);
  const others = report.lanes.filter((l) => l.lane !== lane).map((l) => `${l.lane}`);
  const body = `${renderPrBody({ issueNumber: meta.issueNumber, report, lane, mode: "best", siblings: [] })}\n\n**Chosen over lanes ${others.join(", ") || "—"}** by @${by}.`;
  const title = prTitle(meta.issueTitle, chosen, "best");
  // Reopen the lane's own PR when an earlier pick closed it; otherwise find or open one.
  const known = meta.prs[String(lane)];
  const pr = known ?? (await deps.github.openPullRequest({ head: chosen.branch, base: meta.repo.defaultBranch, title, body, draft: false }));
  if (known) await deps.github.updatePull(pr.number, { title, body, state: "open" });
  await deps.github.markReadyForReview(pr.number);
  await deps.registry.pullRequests.link(meta.repo.id, pr.number, meta.raceId, lane);

  // Close the siblings, each with a link to the chosen PR, and delete their branches.
  for (const [siblingLane, sibling] of Object.entries(meta.prs)) {
    if (Number(siblingLane) === lane || sibling.number === pr.number) continue;
    const state = await deps.github.pull(sibling.number);
    if (!state.open) continue;
    await deps.github.closePull(sibling.number, `Closed in favour of #${pr.number} (lane ${lane}), picked by @${by}.`);
    await deps.github.deleteBranches([state.headRef]);
  }
  const prs = { ...meta.prs, [String(lane)]: { number: pr.number, url: pr.url } };
  await deps.registry.races.update(meta.raceId, (m) => ({ ...m, prs, picked: { lane, by } }));
  const links = new Map(report.lanes.map((l) => [l.lane, prs[String(l.lane)] ? { pr: prs[String(l.lane)] } : {}]));
  await deps.github.upsertComment(meta.issueNumber, {
    marker: comparisonMarker(meta.raceId), commentId: meta.comparisonCommentId,
    body: `${renderComparisonComment({ report, links, logExcerpts: new Map() })}\n\n✅ **Picked: lane ${lane} (${chosen.agent})**, #${pr.number}, by @${by}.`,
  });
  log.info({ race: meta.raceId, lane, pr: pr.number }, "lane picked");
  return "picked";
}
