import type { Logger } from "pino";
import { killRecordedGroup } from "../process/kill-recorded-group.js";
import { processStartTime } from "../process/process-start-time.js";
import type { SpawnHook } from "../process/run-process.js";
import type { AgentGroup, AgentGroups } from "../redis/agent-groups.js";

// Agents run in process groups of their own so a timeout can kill their whole tree; the flip side
// is that a SIGKILLed worker leaves them running (and spending tokens). Each agent's group is
// recorded in Redis while it runs, and the next worker on the same host kills what is left.

/** The hook that records an agent's process group while it runs; nothing is recorded without /proc. */
export function recordAgentGroups(groups: AgentGroups, lane: { jobId: string; raceId: string; lane: number }, log: Logger): SpawnHook {
  return (pid) => {
    const startTime = processStartTime(pid);
    const workerStartTime = processStartTime(process.pid);
    if (startTime === null || workerStartTime === null) return undefined;
    const group: AgentGroup = { pgid: pid, startTime, workerPid: process.pid, workerStartTime, raceId: lane.raceId, lane: lane.lane, at: Date.now() };
    groups.add(lane.jobId, group).catch((error: unknown) => log.warn({ err: error }, "agent process record failed"));
    return () => {
      groups.remove(lane.jobId, group).catch((error: unknown) => log.warn({ err: error }, "agent process record removal failed"));
    };
  };
}

/**
 * Before a lane job runs: an agent recorded for the same job on this host belongs to an earlier run
 * of it whose worker died or lost the job; kill that group. Returns whether one was killed.
 */
export async function reapLaneOrphan(groups: AgentGroups, jobId: string, log: Logger): Promise<boolean> {
  const group = await groups.get(jobId);
  if (!group) return false;
  return reap(groups, jobId, group, log);
}

/** At worker start: kills the recorded agents of this host whose worker is gone. Returns how many it killed. */
export async function reapDeadWorkersAgents(groups: AgentGroups, log: Logger): Promise<number> {
  let killed = 0;
  for (const { jobId, group } of await groups.all()) {
    if (processStartTime(group.workerPid) === group.workerStartTime) continue;
    if (await reap(groups, jobId, group, log)) killed += 1;
  }
  return killed;
}

async function reap(groups: AgentGroups, jobId: string, group: AgentGroup, log: Logger): Promise<boolean> {
  const killed = killRecordedGroup(group);
  if (killed) log.warn({ job: jobId, race: group.raceId, lane: group.lane, pgid: group.pgid, workerPid: group.workerPid }, "orphaned agent killed");
  await groups.remove(jobId, group);
  return killed;
}
