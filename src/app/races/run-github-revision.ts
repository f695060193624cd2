import type { RepoConfig } from "../../config/repo-config.js";
import { AGENT_CONFIG_PATHS } from "../../git/lane-checkout.js";
import { PushRejectedError } from "../../errors.js";
import type { RepoClient } from "../../github/repo-client.js";
import { renderPrBody } from "../../github/render/render-pr-body.js";
import { rankLanes } from "../../pipeline/rank-lanes.js";
import type { GitHubLaneResult } from "../../model/github-lane-result.js";
import type { RaceReport } from "../../model/race-report.js";
import { runGitHubLane, type GitHubLaneDeps, type GitHubLaneInput } from "./run-github-lane.js";

export interface RevisionInput {
  raceId: string;
  repo: { owner: string; name: string; cloneUrl: string };
  prNumber: number;
  issueNumber: number;
  task: string;
  lane: GitHubLaneInput["lane"];
  lanesTotal: number;
  config: RepoConfig;
  requestedBy: string;
  /** The race's last report, whose lane is replaced with the revision's result in the PR body. */
  report: RaceReport | null;
  mode: "best" | "compare";
  /** The race's base sha: agent config (`AGENT_CONFIG_PATHS`) comes from there, not from the PR head an agent wrote. Null: the PR's base. */
  raceBaseSha: string | null;
}

/**
 * A revision: start from the PR's current head (with the agent config of the race's base, so
 * nothing an earlier agent wrote there configures this one), run the lane's agent on the review, commit, run
 * the evals and push only if the branch has not moved (a lease). If a human pushed meanwhile, it
 * starts once more from the new head; a second lease failure is reported. Then the PR body's
 * eval section is updated and a reply summarises what changed.
 */
export async function runGitHubRevision(input: RevisionInput, deps: GitHubLaneDeps & { github: Pick<RepoClient, "pull" | "updatePull" | "publishCheckRun"> }): Promise<{ outcome: GitHubLaneResult | null; reply: string }> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    const pull = await deps.github.pull(input.prNumber);
    const head = pull.headSha;
    const restore = { fromSha: input.raceBaseSha ?? pull.baseSha, paths: AGENT_CONFIG_PATHS };
    try {
      const outcome = await runGitHubLane(
        { raceId: input.raceId, repo: input.repo, task: input.task, subject: `address review by @${input.requestedBy}`, baseSha: head, lanesTotal: input.lanesTotal, lane: input.lane, config: input.config, pushLease: head, restore },
        deps,
      );
      const result = outcome.result;
      if (input.report && result.head) {
        const lanes = input.report.lanes.map((l) => (l.lane === result.lane ? { ...result, rank: l.rank } : l));
        const report = { ...input.report, lanes: rankLanes(lanes).lanes, winner: input.report.winner };
        await deps.github.updatePull(input.prNumber, { body: renderPrBody({ issueNumber: input.issueNumber, report, lane: result.lane, mode: input.mode, siblings: [] }) });
      }
      return { outcome, reply: revisionReply(outcome, input.requestedBy) };
    } catch (error) {
      if (!(error instanceof PushRejectedError) || attempt === 2) {
        if (error instanceof PushRejectedError) {
          return { outcome: null, reply: `⚠️ The branch moved twice while lane ${input.lane.lane} was revising it, so nothing was pushed. Review the new commits and ask again with \`/revise\`.` };
        }
        throw error;
      }
    }
  }
  throw new Error("unreachable");
}

function revisionReply(outcome: GitHubLaneResult, requestedBy: string): string {
  const r = outcome.result;
  if (!r.head) return `Lane ${r.lane} (${r.agent}) looked at the review from @${requestedBy} but made no changes (${r.status}${r.note ? `: ${r.note}` : ""}).`;
  const evals = r.evals.map((e) => `${e.passed ? "✅" : "❌"} ${e.name} ${e.passed_count}/${e.passed_count + e.failed_count}`).join(" · ") || "no evals configured";
  return [
    `Revised by lane ${r.lane} (${r.agent}) after the review from @${requestedBy}: ${r.files_changed} file(s) changed, +${r.insertions}/−${r.deletions}, now at ${r.head.slice(0, 7)}.`,
    "",
    `Evals: ${evals} — **${r.status}**${r.note ? ` (${r.note})` : ""}.`,
  ].join("\n");
}
