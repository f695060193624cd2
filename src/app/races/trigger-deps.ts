import type { Logger } from "pino";
import type { OperatorConfig } from "../../config/operator-config.js";
import type { RepoClient } from "../../github/repo-client.js";
import type { JobQueues } from "../../queue/job-queues.js";
import type { RaceRegistry } from "../../redis/race-registry.js";

/** What handling a trigger needs: the repository's GitHub client, the queues and the registry. */
export interface TriggerDeps {
  github: RepoClient;
  queues: JobQueues;
  registry: RaceRegistry;
  operator: OperatorConfig;
  appSlug: string;
  log: Logger;
  /**
   * When the webhook was received (the trigger job's timestamp, epoch ms; now when absent). A
   * `/cancel` wins over every start received before it (`Cancellations.requestedSince`).
   */
  receivedAt?: number;
}
