import type { Logger } from "pino";
import type { OperatorConfig } from "../../config/operator-config.js";
import type { GitHubClient } from "../../github/github-client.js";
import type { JobQueues } from "../../queue/job-queues.js";
import type { RaceRegistry } from "../../queue/race-registry.js";

/** What handling a trigger needs: an installation's GitHub client, the queues and the registry. */
export interface TriggerDeps {
  octokit: GitHubClient;
  queues: JobQueues;
  registry: RaceRegistry;
  operator: OperatorConfig;
  appSlug: string;
  log: Logger;
  /**
   * When the webhook was received (the trigger job's timestamp, epoch ms; now when absent). A
   * `/cancel` wins over every start received before it (`RaceRegistry.cancelledSince`).
   */
  receivedAt?: number;
}
