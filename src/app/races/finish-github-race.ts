import type { RepoClient } from "../../github/repo-client.js";
import { comparisonMarker, renderComparisonComment, type LaneLinks } from "../../github/render/render-comparison-comment.js";
import { prTitle, renderPrBody } from "../../github/render/render-pr-body.js";
import { renderOverlapCell, renderOverlapSection } from "../../github/render/render-overlap.js";
import { withOverlapPenalty } from "../../overlap/with-overlap-penalty.js";
import { assembleReport } from "../../pipeline/assemble-report.js";
import type { OverlapVerdict } from "./check-overlap.js";
import { pushRefusal } from "../../pipeline/push-refusal.js";
import { compareLanes } from "../../pipeline/rank-lanes.js";
import type { GitHubLaneResult } from "../../model/github-lane-result.js";
import type { LaneResult, RaceReport } from "../../model/race-report.js";

export interface FinishInput {
  raceId: string;
  repo: { owner: string; name: string; htmlUrl: string; defaultBranch: string };
  issueNumber: number;
  issueTitle: string;
  task: string;
  baseSha: string;
  mode: "best" | "compare";
  startedAt: Date;
  lanes: GitHubLaneResult[];
  cancelled: boolean;
  comparisonCommentId: number | null;
  /** PRs a previous run of this race opened (a `/retry`): those no longer chosen are closed. */
  previousPrs?: Record<string, { number: number; url: string }> | undefined;
  /** Generated PRs open as drafts (`draft`, default true); compare mode's always do. */
  draft?: boolean | undefined;
  /** `push_failed`: lanes that did not pass were pushed too, so the comparison links their branches. */
  pushFailed?: boolean | undefined;
  /** What the overlap check found (absent: no check ran). */
  overlap?: OverlapVerdict | undefined;
  /**
   * Called with the lanes about to open PRs, before anything is opened; true holds the race back
   * (it waits for another race's PR) and nothing is opened, commented or labelled.
   */
  hold?: ((chosen: readonly LaneResult[], report: RaceReport) => Promise<boolean>) | undefined;
  /** Called once the PRs are opened (and superseded ones closed), before the comparison comment. */
  prsOpened?: (() => Promise<void>) | undefined;
}

export interface FinishOutcome {
  /** True when `hold` held the race back: nothing else happened. */
  held?: boolean;
  report: RaceReport;
  prs: Record<string, { number: number; url: string }>;
  comparisonCommentId: number | null;
}

/**
 * The end of a GitHub race, safe to re-run: rank the lanes, open one PR (best; a draft unless
 * `draft: false`) or one draft PR per passing lane (compare), post the comparison comment and set
 * the issue's label. Lanes that were not pushed (push policy) open nothing and link no branch.
 * A cancelled race instead deletes its branches and opens nothing.
 */
export async function finishGitHubRace(input: FinishInput, github: RepoClient): Promise<FinishOutcome> {
  const report = assembleReport({
    id: input.raceId, task: input.task, base: input.repo.defaultBranch, baseSha: input.baseSha, mode: input.mode,
    startedAt: input.startedAt, lanes: input.lanes.map((l) => l.result),
    compare: input.overlap?.penalized.size ? withOverlapPenalty(compareLanes, input.overlap.penalized) : undefined,
  });
  const overlaps = input.overlap?.overlaps ?? [];
  const blocked: ReadonlyMap<number, number[]> = input.overlap?.blocked ?? new Map();
  if (input.cancelled) {
    await github.deleteBranches(report.lanes.map((lane) => lane.branch));
    await github.setRaceState(input.issueNumber, "failed");
    return { report, prs: {}, comparisonCommentId: input.comparisonCommentId };
  }

  // 1. Pull requests: the winner (best), or every passing lane as a draft (compare).
  // A lane blocked by a conflicting open PR opens nothing; in best mode the next passing lane may.
  const open_ = report.lanes.filter((lane) => lane.head !== null && lane.status === "passed" && !blocked.has(lane.lane));
  const chosen = input.mode === "compare" ? open_ : open_.slice(0, 1);
  if (chosen.length > 0 && input.hold && (await input.hold(chosen, report))) return { held: true, report, prs: {}, comparisonCommentId: input.comparisonCommentId };
  const prs: FinishOutcome["prs"] = {};
  const open = async (siblings: Array<{ lane: number; agent: string; number: number; url: string }>) => {
    for (const lane of chosen) {
      const pr = await github.openPullRequest({
        head: lane.branch, base: input.repo.defaultBranch, title: prTitle(input.issueTitle, lane, input.mode), draft: input.mode === "compare" || input.draft !== false,
        body: withSection(renderPrBody({ issueNumber: input.issueNumber, report, lane: lane.lane, mode: input.mode, siblings: siblings.filter((s) => s.lane !== lane.lane) }), renderOverlapSection(overlaps, lane.lane)),
      });
      prs[String(lane.lane)] = { number: pr.number, url: pr.url };
      if (overlaps.some((o) => o.lane === lane.lane)) await github.addLabels(pr.number, ["agent-race:overlap"]);
    }
  };
  await open([]);
  if (input.mode === "compare" && chosen.length > 1) {
    // Second pass: now that every sibling exists, each body links the others.
    await open(chosen.map((lane) => ({ lane: lane.lane, agent: lane.agent, ...(prs[String(lane.lane)] as { number: number; url: string }) })));
  }

  for (const [lane, pr] of Object.entries(input.previousPrs ?? {})) {
    if (prs[lane]) continue;
    await github.closePull(pr.number, `Superseded: after \`/retry\` this lane is no longer chosen${report.winner ? `; see lane ${report.winner}` : ""}.`);
  }

  await input.prsOpened?.();

  // 2. The comparison comment, with links to the PRs, else the pushed branches.
  const links = new Map<number, LaneLinks>();
  for (const lane of report.lanes) {
    const pr = prs[String(lane.lane)];
    const pushed = pushRefusal(lane, input.pushFailed ?? false) === null;
    links.set(lane.lane, pr ? { pr } : pushed ? { branchUrl: `${input.repo.htmlUrl}/tree/${lane.branch}` } : {});
  }
  const logExcerpts = new Map(input.lanes.map((l) => [l.result.lane, l.logTail]));
  const comparisonCommentId = await github.upsertComment(input.issueNumber, {
    marker: comparisonMarker(input.raceId), commentId: input.comparisonCommentId,
    body: renderComparisonComment({
      report, links, logExcerpts,
      ...(input.overlap ? { overlapCells: new Map(report.lanes.map((l) => [l.lane, renderOverlapCell(overlaps, l.lane)])) } : {}),
      ...(notes(report, blocked) ? { overlapNote: notes(report, blocked) } : {}),
    }),
  });
  await github.setRaceState(input.issueNumber, report.winner === null ? "failed" : "done");
  return { report, prs, comparisonCommentId };
}

/** Lines under the table: lanes the overlap policy blocked, and lanes that need a re-run. */
function notes(report: RaceReport, blocked: ReadonlyMap<number, number[]>): string {
  return [
    ...[...blocked].map(([lane, by]) => `Lane ${lane} opened no pull request: it conflicts with ${by.map((n) => `#${n}`).join(", ")} (\`overlap: block\`).`),
    ...report.lanes.filter((l) => l.status === "needs-rerun").map((l) => `Lane ${l.lane} passed but could not be rebased onto the new base: \`/retry ${l.lane}\` runs its agent again from there.`),
  ].join("\n");
}

function withSection(body: string, section: string): string {
  return section ? `${body}\n\n${section}` : body;
}
