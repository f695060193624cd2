import type { Logger } from "pino";
import { resolveServerConfig } from "../../config/agents/resolve-server-config.js";
import { ConfigError } from "../../errors.js";
import { deleteRemoteBranches } from "../../github/delete-remote-branches.js";
import { fetchConfigText } from "../../github/fetch-config-text.js";
import { setRaceState } from "../../github/race-labels.js";
import type { RaceMeta } from "../../queue/race-state.js";
import type { TriggerDeps } from "./trigger-deps.js";

const DAY_MS = 24 * 3600 * 1000;

/**
 * A generated PR was closed. Merged: the race is finished, so every other branch of the race is
 * deleted, its other open PRs are closed and the issue is labelled done. Not merged: the branch
 * is kept for `branch_retention_days`, then the daily sweep deletes it.
 */
export async function handlePrClosed(meta: RaceMeta, pr: { number: number; headRef: string; merged: boolean }, installationId: number, deps: TriggerDeps, log: Logger): Promise<string> {
  const repo = { owner: meta.repo.owner, repo: meta.repo.name };
  if (!pr.merged) {
    let days = 7;
    try {
      days = resolveServerConfig(await fetchConfigText(deps.octokit, repo, meta.repo.defaultBranch), deps.operator).branch_retention_days;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
    await deps.registry.scheduleBranchExpiry({ installationId, owner: repo.owner, repo: repo.repo, branch: pr.headRef, prNumber: pr.number }, Date.now() + days * DAY_MS);
    return "branch-scheduled";
  }
  for (const sibling of Object.values(meta.prs)) {
    if (sibling.number === pr.number) continue;
    const state = (await deps.octokit.rest.pulls.get({ ...repo, pull_number: sibling.number })).data;
    if (state.state !== "open") continue;
    await deps.octokit.rest.issues.createComment({ ...repo, issue_number: sibling.number, body: `Closed: #${pr.number} from the same race was merged.` });
    await deps.octokit.rest.pulls.update({ ...repo, pull_number: sibling.number, state: "closed" });
  }
  const others = meta.lanes.map((l) => l.branch).filter((branch) => branch !== pr.headRef);
  const deleted = await deleteRemoteBranches(deps.octokit, repo, others);
  await setRaceState(deps.octokit, repo, meta.issueNumber, "done");
  await deps.registry.updateMeta(meta.raceId, (m) => ({ ...m, mergedPr: pr.number }));
  log.info({ race: meta.raceId, pr: pr.number, deleted: deleted.length }, "race merged; other branches deleted");
  return "merged-cleanup";
}
