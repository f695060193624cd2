import type { Job } from "bullmq";
import { runGitHubRevision } from "../app/races/run-github-revision.js";
import { revisionJobSchema } from "../queue/job-data.js";
import { jobConfig } from "./job-config.js";
import type { LaneCancellations } from "./lane-cancellations.js";
import { recordAgentGroups, reapLaneOrphan } from "./orphaned-agents.js";
import { githubLaneDeps } from "./github-lane-deps.js";
import { openJobData } from "./open-job-data.js";
import type { WorkerDeps } from "./worker-deps.js";
import { JOB_PERMISSIONS } from "./job-permissions.js";

/** The revision worker: a thin adapter from a BullMQ revision job to the engine's revision recipe. */
export async function processRevisionJob(job: Job, deps: WorkerDeps, cancellations: LaneCancellations): Promise<string> {
  const data = openJobData(job, revisionJobSchema, deps);
  const config = jobConfig(data.configText, deps.operator);
  const meta = await deps.registry.races.get(data.raceId);
  const laneDeps = await githubLaneDeps(data, deps, JOB_PERMISSIONS.revision);
  const jobId = job.id ?? `revision-${data.raceId}-${data.lane.lane}`;
  const log = deps.log.child({ race: data.raceId, lane: data.lane.lane });
  await reapLaneOrphan(deps.agentGroups, jobId, log);
  const controller = cancellations.register(data.raceId);
  try {
    const { outcome, reply } = await runGitHubRevision(
      {
        raceId: data.raceId, repo: data.repo, prNumber: data.prNumber, issueNumber: meta?.issueNumber ?? data.prNumber, task: data.task,
        lane: data.lane, lanesTotal: meta?.lanes.length ?? 1, config, requestedBy: data.requestedBy, report: meta?.report ?? null, mode: meta?.mode ?? "best",
        raceBaseSha: meta?.baseSha ?? null,
      },
      // `/cancel` stops races, not a revision under way.
      { ...laneDeps, isCancelled: async () => false, signal: controller.signal, onAgentSpawn: recordAgentGroups(deps.agentGroups, { jobId, raceId: data.raceId, lane: data.lane.lane }, log) },
    );
    await laneDeps.github.comment(data.prNumber, reply);
    if (outcome?.result.head && meta?.report) {
      const result = outcome.result;
      await deps.registry.races.update(data.raceId, (m) => ({
        ...m, report: m.report ? { ...m.report, lanes: m.report.lanes.map((l) => (l.lane === result.lane ? { ...result, rank: l.rank } : l)) } : m.report,
      }));
    }
    return outcome?.result.status ?? "lease-failed";
  } finally {
    cancellations.release(data.raceId, controller);
  }
}
