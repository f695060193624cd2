import { UserError } from "../errors.js";
import { deleteBranches } from "../git/delete-branches.js";
import { mergeLane } from "../git/merge-lane.js";
import { currentBranch, resolveRepo } from "../git/repo-info.js";
import type { RaceReport } from "../model/race-report.js";
import { RaceStore } from "./race-store.js";

/**
 * Keeps one lane: merges its branch into the race's base branch with `--no-ff` and a message
 * that records the ranking, then deletes the other lanes' branches. Refuses (and changes
 * nothing) when the checkout is dirty, on the wrong branch, or the merge would conflict.
 */
export async function pickLane(input: { cwd: string; raceId: string; lane: number }): Promise<{ commit: string; deleted: string[] }> {
  const repo = await resolveRepo(input.cwd);
  if (!repo.topLevel) throw new UserError("pick needs a checkout to merge into, not a bare repository");
  const store = new RaceStore(repo.commonDir);
  const record = await store.get(input.raceId);
  if (!record) throw new UserError(`no race "${input.raceId}" in this repository; see \`agent-race list\``);
  if (!record.report) throw new UserError(`race ${record.id} has no results (state: ${record.state})`);
  const lane = record.report.lanes.find((l) => l.lane === input.lane);
  if (!lane) throw new UserError(`race ${record.id} has no lane ${input.lane}; lanes: ${record.report.lanes.map((l) => l.lane).join(", ")}`);
  if (!lane.head) throw new UserError(`lane ${lane.lane} made no changes (${lane.status}), so there is nothing to merge`);
  const branch = await currentBranch(repo.topLevel);
  if (record.base !== record.base_sha && branch !== record.base) {
    throw new UserError(`the race started from "${record.base}" but "${branch ?? "a detached HEAD"}" is checked out; check out ${record.base} first`);
  }
  const commit = await mergeLane({ checkoutDir: repo.topLevel, branch: lane.branch, message: mergeMessage(record.report, lane.lane) });
  const others = record.lanes.map((l) => l.branch).filter((b) => b !== lane.branch);
  const deleted = await deleteBranches(repo.topLevel, others);
  await store.save({ ...record, state: "picked", picked_lane: lane.lane });
  return { commit, deleted };
}

export function mergeMessage(report: RaceReport, lane: number): string {
  const picked = report.lanes.find((l) => l.lane === lane);
  const ranking = report.lanes.map((l) => {
    const evals = l.evals.map((e) => `${e.name} ${e.passed ? "ok" : "fail"} ${e.passed_count}/${e.passed_count + e.failed_count}`).join(", ");
    return `${l.rank}. lane ${l.lane} ${l.agent}: ${l.status}, score ${l.score.toFixed(2)}, +${l.insertions}/-${l.deletions}${evals ? ` (${evals})` : ""}${l.lane === lane ? " <- picked" : ""}`;
  });
  return [
    `agent-race: merge lane ${lane} (${picked?.agent ?? "?"}) of race ${report.id}`,
    "",
    report.task.split("\n")[0] ?? "",
    "",
    "Ranking:",
    ...ranking,
  ].join("\n");
}
