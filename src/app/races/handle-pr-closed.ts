import type { Logger } from "pino";
import { resolveServerConfig } from "../../config/agents/resolve-server-config.js";
import { ConfigError } from "../../errors.js";
import type { RaceMeta } from "../../model/race-state.js";
import type { TriggerDeps } from "./trigger-deps.js";

const DAY_MS = 24 * 3600 * 1000;

/**
 * A generated PR was closed. Merged: the race is finished, so every other branch of the race is
 * deleted, its other open PRs are closed and the issue is labelled done. Not merged: the branch
 * is kept for `branch_retention_days`, then the daily sweep deletes it.
 */
export async function handlePrClosed(meta: RaceMeta, pr: { number: number; headRef: string; merged: boolean }, installationId: number, deps: TriggerDeps, log: Logger): Promise<string> {
  if (!pr.merged) {
    let days = 7;
    try {
      days = resolveServerConfig(await deps.github.configText(meta.repo.defaultBranch), deps.operator).branch_retention_days;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
    await deps.registry.branches.schedule({ installationId, owner: meta.repo.owner, repo: meta.repo.name, branch: pr.headRef, prNumber: pr.number }, Date.now() + days * DAY_MS);
    return "branch-scheduled";
  }
  for (const sibling of Object.values(meta.prs)) {
    if (sibling.number === pr.number) continue;
    if (!(await deps.github.pull(sibling.number)).open) continue;
    await deps.github.closePull(sibling.number, `Closed: #${pr.number} from the same race was merged.`);
  }
  const others = meta.lanes.map((l) => l.branch).filter((branch) => branch !== pr.headRef);
  const deleted = await deps.github.deleteBranches(others);
  await deps.github.setRaceState(meta.issueNumber, "done");
  await deps.registry.races.update(meta.raceId, (m) => ({ ...m, mergedPr: pr.number }));
  log.info({ race: meta.raceId, pr: pr.number, deleted: deleted.length }, "race merged; other branches deleted");
  return "merged-cleanup";
}
