import type { GitHubLaneDeps } from "../app/races/run-github-lane.js";
import type { TokenPermissions } from "../github/github-auth.js";
import type { RepoClient } from "../github/repo-client.js";
import type { RaceJob } from "../queue/job-data.js";
import { gitAuthFor } from "./git-auth-for.js";
import type { WorkerDeps } from "./worker-deps.js";

/** What a lane needs of its worker, for one race's repository: the narrowed client, git tokens, directories, sandbox and cancel flag. */
export async function githubLaneDeps(
  race: Pick<RaceJob, "raceId" | "installationId" | "repo">,
  deps: WorkerDeps,
  permissions: TokenPermissions,
): Promise<GitHubLaneDeps & { github: RepoClient }> {
  return {
    github: await deps.github.clientFor(race.installationId, race.repo, permissions),
    gitAuth: (access) => gitAuthFor(deps.github, race.installationId, race.repo.name, access),
    cacheDir: deps.cacheDir, worktreeRoot: deps.worktreeRoot, sandbox: deps.sandbox, env: deps.env,
    isCancelled: () => deps.registry.cancels.isCancelled(race.raceId),
    onEvent: () => undefined,
  };
}
