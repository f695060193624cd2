import type { Logger } from "pino";
import { deleteRemoteBranches } from "../../github/delete-remote-branches.js";
import type { GitHubClient } from "../../github/github-client.js";
import { httpStatus } from "../../github/http-status.js";
import { isAlreadyExists } from "../../github/is-already-exists.js";
import { openPullRequest } from "../../github/open-pull-request.js";
import { comparisonMarker, renderComparisonComment } from "../../github/render-comparison-comment.js";
import { prTitle, renderPrBody } from "../../github/render-pr-body.js";
import { upsertComment } from "../../github/upsert-comment.js";
import type { RaceMeta } from "../../queue/race-state.js";
import type { TriggerDeps } from "./trigger-deps.js";

/**
 * Picks a lane of a finished race: its PR is (re)opened and marked ready for review with
 * "Chosen over lanes …", every sibling PR is closed with a link and its branch deleted, and the
 * comparison comment marks the winner. Picking again before a merge switches the choice and
 * reopens what the last pick closed (restoring the branch from the lane's recorded head).
 */
export async function pickRaceLane(meta: RaceMeta, lane: number, by: string, deps: TriggerDeps, log: Logger): Promise<string> {
  const repo = { owner: meta.repo.owner, repo: meta.repo.name };
  const reply = (body: string) => deps.octokit.rest.issues.createComment({ ...repo, issue_number: meta.issueNumber, body });
  if (meta.mergedPr) return reply(`This race is finished: #${meta.mergedPr} was merged.`).then(() => "race-finished");
  const report = meta.report;
  if (!report || meta.state === "running" || meta.state === "queued" || meta.state === "finishing") return reply("The race is still running; pick a lane once it has finished.").then(() => "not-finished");
  const chosen = report.lanes.find((l) => l.lane === lane);
  if (!chosen?.head) return reply(`Lane ${lane} has no changes to pick${chosen ? ` (it ended as ${chosen.status})` : ""}.`).then(() => "nothing-to-pick");

  await restoreBranch(deps.octokit, repo, chosen.branch, chosen.head);
  const others = report.lanes.filter((l) => l.lane !== lane).map((l) => `${l.lane}`);
  const body = `${renderPrBody({ issueNumber: meta.issueNumber, report, lane, mode: "best", siblings: [] })}\n\n**Chosen over lanes ${others.join(", ") || "—"}** by @${by}.`;
  const title = prTitle(meta.issueTitle, chosen, "best");
  // Reopen the lane's own PR when an earlier pick closed it; otherwise find or open one.
  const known = meta.prs[String(lane)];
  const pr = known ?? (await openPullRequest(deps.octokit, repo, { head: chosen.branch, base: meta.repo.defaultBranch, title, body, draft: false }));
  const details = (await deps.octokit.rest.pulls.get({ ...repo, pull_number: pr.number })).data;
  if (known) await deps.octokit.rest.pulls.update({ ...repo, pull_number: pr.number, title, body, state: "open" });
  if (details.draft) await deps.octokit.graphql(`mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { number } } }`, { id: details.node_id });
  await deps.registry.linkPullRequest(meta.repo.id, pr.number, meta.raceId, lane);

  // Close the siblings, each with a link to the chosen PR, and delete their branches.
  for (const [siblingLane, sibling] of Object.entries(meta.prs)) {
    if (Number(siblingLane) === lane || sibling.number === pr.number) continue;
    const state = (await deps.octokit.rest.pulls.get({ ...repo, pull_number: sibling.number })).data;
    if (state.state !== "open") continue;
    await deps.octokit.rest.issues.createComment({ ...repo, issue_number: sibling.number, body: `Closed in favour of #${pr.number} (lane ${lane}), picked by @${by}.` });
    await deps.octokit.rest.pulls.update({ ...repo, pull_number: sibling.number, state: "closed" });
    await deleteRemoteBranches(deps.octokit, repo, [state.head.ref]);
  }
  const prs = { ...meta.prs, [String(lane)]: { number: pr.number, url: pr.url } };
  await deps.registry.updateMeta(meta.raceId, (m) => ({ ...m, prs, picked: { lane, by } }));
  const links = new Map(report.lanes.map((l) => [l.lane, prs[String(l.lane)] ? { pr: prs[String(l.lane)] } : {}]));
  await upsertComment(deps.octokit, repo, meta.issueNumber, {
    marker: comparisonMarker(meta.raceId), commentId: meta.comparisonCommentId,
    body: `${renderComparisonComment({ report, links, logExcerpts: new Map() })}\n\n✅ **Picked: lane ${lane} (${chosen.agent})**, #${pr.number}, by @${by}.`,
  });
  log.info({ race: meta.raceId, lane, pr: pr.number }, "lane picked");
  return "picked";
}

async function restoreBranch(octokit: GitHubClient, repo: { owner: string; repo: string }, branch: string, sha: string): Promise<void> {
  try {
    await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha });
  } catch (error) {
    if (!isAlreadyExists(error) && httpStatus(error) !== 422) throw error;
  }
}
