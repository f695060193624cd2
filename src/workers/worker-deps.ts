import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { OperatorConfig } from "../config/operator-config.js";
import type { LaneSandboxConfig } from "../sandbox/resolve-lane-sandbox.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import type { AgentGroups } from "../redis/agent-groups.js";
import type { JobQueues } from "../queue/job-queues.js";
import type { SlotPool } from "../redis/slot-pool.js";
import type { RaceRegistry } from "../redis/race-registry.js";
import type { GitHubAuth } from "../github/github-auth.js";

export interface WorkerDeps {
  /** A worker connection (`maxRetriesPerRequest: null`). */
  connection: Redis;
  /** A second connection for the cancel subscription. */
  subscriber: Redis;
  prefix: string;
  queues: JobQueues;
  registry: RaceRegistry;
  /** Per-repo and per-installation lane limits (`max_parallel_lanes`). */
  laneSlots: SlotPool;
  /** This host's running agent process groups, to kill a dead worker's agents. */
  agentGroups: AgentGroups;
  github: GitHubAuth;
  operator: OperatorConfig;
  cacheDir: string;
  worktreeRoot: string;
  /** The lane sandbox (null: the operator's `sandbox: none`). */
  sandbox: LaneSandboxConfig | null;
  laneConcurrency: number;
  lockDurationMs: number;
  log: Logger;
  /** The environment agents draw their allowlisted variables from. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Prometheus instrumentation (the process's /metrics); absent in tests that do not care. */
  metrics?: AppMetrics | undefined;
}
