import { formatDuration } from "../report/format-duration.js";
import type { LaneResult, LaneStatus } from "../model/race-report.js";
import type { GitHubClient } from "./client/github-client.js";
import { fitGitHubText } from "./render/fit-github-text.js";
import { inertText } from "./render/inert-text.js";
import { redactSecrets } from "../pipeline/redact-secrets.js";
import type { RepoRef } from "./repo-ref.js";

type Conclusion = "success" | "failure" | "timed_out" | "neutral" | "cancelled";

const CONCLUSIONS: Record<LaneStatus, Conclusion> = {
  passed: "success",
  failed: "failure",
  timeout: "timed_out",
  "no-changes": "neutral",
  error: "failure",
  "needs-rerun": "neutral",
  budget: "cancelled",
  protected: "failure",
  limit: "failure",
};

export interface LaneCheckRunInput {
  raceId: string;
  lane: LaneResult;
  headSha: string;
  detailsUrl?: string;
}

/** The check run's name for a lane: stable across retries, so a retry updates it. */
export function laneCheckRunName(lane: Pick<LaneResult, "lane" | "agent">): string {
  return `agent-race / lane ${lane.lane} (${lane.agent})`;
}

/**
 * Publishes a lane's result as a completed check run on its head commit and returns its id.
 * A check run with the same name on that commit (from an earlier attempt) is updated instead.
 */
export async function publishLaneCheckRun(octokit: GitHubClient, repo: RepoRef, input: LaneCheckRunInput): Promise<number> {
  const { lane } = input;
  const name = laneCheckRunName(lane);
  const fields = {
    owner: repo.owner,
    repo: repo.repo,
    name,
    external_id: `${input.raceId}:${lane.lane}`,
    status: "completed" as const,
    conclusion: CONCLUSIONS[lane.status],
    completed_at: new Date().toISOString(),
    output: { title: checkTitle(lane), summary: checkSummary(lane) },
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
  };
  const { data: existing } = await octokit.rest.checks.listForRef({
    owner: repo.owner,
    repo: repo.repo,
    ref: input.headSha,
    check_name: name,
    filter: "latest",
    per_page: 100,
  });
  const previous = existing.check_runs.find((run) => run.external_id === fields.external_id) ?? existing.check_runs[0];
  if (previous) {
    const { data } = await octokit.rest.checks.update({ ...fields, check_run_id: previous.id });
    return data.id;
  }
  const { data } = await octokit.rest.checks.create({ ...fields, head_sha: input.headSha });
  return data.id;
}

function checkTitle(lane: LaneResult): string {
  const time = formatDuration(lane.duration_ms);
  if (lane.evals.length === 0) return `${lane.status} · no evals ran · ${time}`;
  const passed = lane.evals.filter((result) => result.passed).length;
  return `${passed}/${lane.evals.length} evals passed · score ${lane.score.toFixed(2)} · ${time}`;
}

function checkSummary(lane: LaneResult): string {
  const lines = [`**Lane ${lane.lane}** (${inertText(lane.agent)}) on branch \`${lane.branch}\`: **${lane.status}**.`, ""];
  if (lane.approach) lines.push(`Approach: ${inertText(lane.approach, { maxLength: 500 })}`, "");
  if (lane.evals.length > 0) {
    lines.push("| Eval | Result | Passed | Failed | Score | Time |", "| --- | --- | --- | --- | --- | --- |");
    for (const result of lane.evals) {
      const verdict = `${result.passed ? "✅ passed" : "❌ failed"}${result.required ? "" : " (optional)"}`;
      const cells = [inertText(result.name, { pipes: true, maxLength: 200 }), verdict, result.passed_count, result.failed_count];
      lines.push(`| ${[...cells, result.score.toFixed(2), formatDuration(result.duration_ms)].join(" | ")} |`);
    }
    lines.push("", `Score **${lane.score.toFixed(2)}** · ${lane.files_changed} files (+${lane.insertions}/-${lane.deletions}) · ${formatDuration(lane.duration_ms)}`);
  }
  const notes = [lane.note, ...lane.evals.map((result) => (result.note ? `${result.name}: ${result.note}` : null))];
  const shown = notes.filter((note): note is string => note !== null && note !== "");
  if (shown.length > 0) lines.push("", "**Notes**", "", ...shown.map((note) => `- ${inertText(redactSecrets(note), { maxLength: 1000 })}`));
  // GitHub measures the summary in bytes (65,535 at most).
  return fitGitHubText(lines.join("\n"), "check-summary");
}
