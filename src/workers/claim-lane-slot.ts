import type { Logger } from "pino";
import type { OperatorConfig } from "../config/operator-config.js";
import type { RepoConfig } from "../config/repo-config.js";
import type { SlotPool, SlotLimit } from "../redis/slot-pool.js";

/** `release` returns the lanes to wake: the ones that waited longest for the freed slots. */
export type LaneSlotClaim = { held: true; release(): Promise<string[]> } | { held: false; full: SlotLimit };

/** The limits a lane must fit under: its repo's `max_parallel_lanes` and the operator's per-installation cap. */
export function laneSlotLimits(config: RepoConfig, operator: OperatorConfig, repoId: number, installationId: number): SlotLimit[] {
  const limits: SlotLimit[] = [];
  if (config.max_parallel_lanes !== undefined) limits.push({ scope: "repo", id: repoId, limit: config.max_parallel_lanes });
  const perInstallation = operator.max_parallel_lanes_per_installation;
  if (perInstallation !== undefined) limits.push({ scope: "installation", id: installationId, limit: perInstallation });
  return limits;
}

/** What the status comment says while a lane waits for a slot. */
export function slotWaitDetail(full: SlotLimit): string {
  return `waiting for a lane slot (${full.scope} limit ${full.limit})`;
}

/**
 * Retry delay for a lane that found no slot: a few seconds, jittered so waiting lanes do not come
 * back in lockstep. The job goes to the back of the queue meanwhile, so other repos' lanes run.
 */
export function slotRetryDelayMs(random: () => number = Math.random): number {
  return 2000 + Math.round(random() * 2000);
}

/**
 * Takes the lane's slots and keeps their leases alive (a heartbeat at a third of the lease) until
 * `release`; or says which limit is full and queues the lane to be woken when a slot there frees.
 * No limits: nothing to take.
 */
export async function claimLaneSlot(slots: SlotPool, holder: string, limits: readonly SlotLimit[], log: Logger): Promise<LaneSlotClaim> {
  if (limits.length === 0) return { held: true, release: async () => [] };
  const full = await slots.acquire(holder, limits);
  if (full) {
    await slots.noteWaiting(holder, full);
    return { held: false, full };
  }
  await slots.stopWaiting(holder, limits);
  const heartbeat = setInterval(() => {
    slots.renew(holder, limits)
      .then((lapsed) => {
        if (lapsed > 0) log.warn({ lapsed }, "lane slot lease had lapsed");
      })
      .catch((error: unknown) => log.warn({ err: error }, "lane slot renewal failed"));
  }, Math.max(1000, Math.floor(slots.leaseMs / 3)));
  heartbeat.unref();
  return {
    held: true,
    release: async () => {
      clearInterval(heartbeat);
      return slots.release(holder, limits).catch((error: unknown) => {
        log.warn({ err: error }, "lane slot release failed");
        return [];
      });
    },
  };
}
