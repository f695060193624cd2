import { FlowProducer, Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { JobSeal } from "./job-seal.js";
import { QUEUES } from "./queue-names.js";
import {
  JOB_VERSION, laneJobSchema, raceJobSchema, revisionJobSchema, statusJobSchema, triggerJobSchema, waitJobSchema,
  type LaneJob, type RaceJob, type RevisionJob, type TriggerJob, type WaitJob,
} from "./job-data.js";

const KEEP = { removeOnComplete: { age: 7 * 24 * 3600, count: 1000 }, removeOnFail: { age: 14 * 24 * 3600 } } satisfies JobsOptions;

/** Status comment updates are throttled to one per race per interval, and never miss the last state. */
export const STATUS_THROTTLE_MS = 2000;

/**
 * A waiting race's job runs when woken (the webhook that closes what it waits for, or a race
 * finishing); this delay is only the backstop that makes it re-check on its own now and then.
 */
export const WAIT_RECHECK_MS = 6 * 3600 * 1000;

/** The producer side of the queues: what webhooks and workers enqueue. Job data is validated here. */
export class JobQueues {
  readonly triggers: Queue;
  readonly status: Queue;
  readonly revisions: Queue;
  readonly maintenance: Queue;
  readonly waits: Queue;
  /** Race and lane jobs are added by the flow producer: these handles read race jobs (a lane's parent) and wake delayed lanes. */
  readonly races: Queue;
  readonly lanes: Queue;
  private readonly flows: FlowProducer;

  constructor(
    connection: Redis,
    readonly prefix: string,
    /** Signs trigger, race, lane, wait and revision jobs; workers check with `seal.open` (docs/deploy.md). */
    readonly seal: JobSeal = new JobSeal(null),
  ) {
    this.triggers = new Queue(QUEUES.triggers, { connection, prefix });
    this.status = new Queue(QUEUES.status, { connection, prefix });
    this.revisions = new Queue(QUEUES.revisions, { connection, prefix });
    this.maintenance = new Queue(QUEUES.maintenance, { connection, prefix });
    this.waits = new Queue(QUEUES.waits, { connection, prefix });
    this.races = new Queue(QUEUES.races, { connection, prefix });
    this.lanes = new Queue(QUEUES.lanes, { connection, prefix });
    this.flows = new FlowProducer({ connection, prefix });
  }

  async enqueueTrigger(job: TriggerJob): Promise<void> {
    const data = triggerJobSchema.parse(job);
    await this.triggers.add("trigger", this.seal.seal(data), { ...KEEP, jobId: `trigger-${safeId(data.deliveryId)}`, attempts: 3, backoff: { type: "exponential", delay: 2000 } });
  }

  /**
   * A race is a flow: one parent job (ranking, PRs, comparison) with one child per lane.
   * A lane whose job finally fails does not block the parent (`ignoreDependencyOnFailure`).
   */
  async enqueueRace(race: RaceJob): Promise<void> {
    const data = raceJobSchema.parse(race);
    const attempt = data.retry?.attempt ?? null;
    await this.flows.add({
      name: "race",
      queueName: QUEUES.races,
      data: this.seal.seal(data),
      opts: { ...KEEP, jobId: raceJobId(data.raceId, attempt), attempts: 3, backoff: { type: "exponential", delay: 5000 } },
      children: data.lanes.map((lane) => ({
        name: "lane",
        queueName: QUEUES.lanes,
        data: this.seal.seal(laneJobSchema.parse({ v: JOB_VERSION, raceId: data.raceId, lane: lane.lane } satisfies LaneJob)),
        opts: {
          ...KEEP,
          jobId: laneJobId(data.raceId, lane.lane, attempt),
          attempts: 3,
          backoff: { type: "exponential", delay: 5000 },
          ignoreDependencyOnFailure: true,
        },
      })),
    });
  }

  /** A lane job's key as BullMQ names it: the key of its value in the parent's `getChildrenValues()`. */
  laneJobKey(raceId: string, lane: number, retryAttempt: number | null): string {
    return this.lanes.toKey(laneJobId(raceId, lane, retryAttempt));
  }

  /** Parks a waiting race as a delayed job; returns its id (for `wake`). */
  async enqueueWait(job: WaitJob): Promise<string> {
    const data = waitJobSchema.parse(job);
    const jobId = `wait-${data.race.raceId}-${data.kind}-${data.since}`;
    await this.waits.add("wait", this.seal.seal(data), { ...KEEP, jobId, delay: WAIT_RECHECK_MS, attempts: 3, backoff: { type: "exponential", delay: 5000 } });
    return jobId;
  }

  /** Runs a waiting race's job now; false when it is not parked (already running, finished or gone). */
  async wake(jobId: string): Promise<boolean> {
    return promote(this.waits, jobId);
  }

  /** Runs a lane job that waits for a lane slot now (instead of at its next retry). */
  async wakeLane(jobId: string): Promise<boolean> {
    return promote(this.lanes, jobId);
  }

  async enqueueRevision(job: RevisionJob): Promise<void> {
    const data = revisionJobSchema.parse(job);
    await this.revisions.add("revision", this.seal.seal(data), { ...KEEP, jobId: `revision-${safeId(data.deliveryId)}`, attempts: 3, backoff: { type: "exponential", delay: 5000 } });
  }

  async scheduleStatus(raceId: string, installationId: number, options: { now?: boolean } = {}): Promise<void> {
    const data = statusJobSchema.parse({ v: JOB_VERSION, raceId, installationId });
    await this.status.add("status", data, {
      removeOnComplete: true,
      removeOnFail: { count: 100 },
      delay: options.now ? 0 : STATUS_THROTTLE_MS,
      ...(options.now ? {} : { deduplication: { id: `status-${raceId}`, ttl: STATUS_THROTTLE_MS } }),
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.triggers.close(), this.status.close(), this.revisions.close(), this.maintenance.close(), this.waits.close(), this.races.close(), this.lanes.close(), this.flows.close()]);
  }
}

/** A race flow's parent job id (`/retry N` runs get their own). */
export function raceJobId(raceId: string, retryAttempt: number | null): string {
  return `race-${raceId}${retryAttempt ? `-r${retryAttempt}` : ""}`;
}

/** A lane job's id within its race flow. */
export function laneJobId(raceId: string, lane: number, retryAttempt: number | null): string {
  return `lane-${raceId}-${lane}${retryAttempt ? `-r${retryAttempt}` : ""}`;
}

async function promote(queue: Queue, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (!job || !(await job.isDelayed())) return false;
  try {
    await job.promote();
    return true;
  } catch {
    return false; // promoted or taken by another process meanwhile
  }
}

/** BullMQ job ids may not contain ':' and must not be all digits. */
export function safeId(text: string): string {
  const id = text.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 100);
  return /^\d+$/.test(id) ? `d${id}` : id;
}
