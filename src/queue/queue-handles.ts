import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES } from "./queue-names.js";

/**
 * One BullMQ `Queue` handle per queue, for what only reads them: `/readyz` (connected workers),
 * `/metrics` (queue depth), bull-board, and the dashboard's look at a race's job.
 */
export class QueueHandles {
  readonly all: readonly Queue[];
  private readonly races: Queue;

  constructor(connection: Redis, prefix: string) {
    this.races = new Queue(QUEUES.races, { connection, prefix });
    this.all = Object.values(QUEUES).map((name) => (name === QUEUES.races ? this.races : new Queue(name, { connection, prefix })));
  }

  /** The data of a race's first job (`race-<id>`, see `JobQueues.enqueueRace`), or undefined while there is none. */
  async raceJobData(raceId: string): Promise<unknown> {
    const job = await this.races.getJob(`race-${raceId}`);
    return job?.data as unknown;
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((q) => q.close()));
  }
}
