import type { Logger } from "pino";
import type { TriggerJob } from "../../queue/job-data.js";
import type { TriggerDeps } from "./trigger-deps.js";
import { wakeRace } from "../../queue/wake-race.js";

/**
 * `/cancel`: flags the issue's running race as cancelled and tells every worker (Redis pub/sub)
 * to abort its lanes. The race job then deletes the branches and updates the status comment.
 * The cancel is also recorded for the issue, under the lock a start enqueues its flow with, so a
 * start still under way (received before this cancel) ends cancelled instead of racing.
 */
export async function cancelRace(job: TriggerJob, deps: TriggerDeps, log: Logger, reason: "command" | "issue-closed" = "command"): Promise<string> {
  const raceId = await deps.registry.issues.withLock(job.repo.id, job.issue.number, async () => {
    await deps.registry.cancels.request(job.repo.id, job.issue.number, deps.receivedAt ?? Date.now());
    const active = await deps.registry.issues.active(job.repo.id, job.issue.number);
    if (!active) return null;
    await deps.registry.cancels.mark(active);
    const why = reason === "command" ? `Cancelled by @${job.sender.login}` : "Cancelled because the issue was closed";
    await deps.registry.races.update(active, (meta) => (meta.state === "cancelled" ? meta : { ...meta, message: `${why}; stopping agents…` }));
    return active;
  });
  if (!raceId) {
    if (reason === "command") {
      await deps.github.comment(job.issue.number, "There is no running race on this issue to cancel.");
    }
    return "nothing-to-cancel";
  }
  await deps.queues.scheduleStatus(raceId, job.installationId, { now: true });
  await wakeRace(raceId, deps); // a waiting race has no running job to notice: its wait job ends it
  log.info({ race: raceId, sender: job.sender.login }, "race cancelled");
  return "cancelled";
}
