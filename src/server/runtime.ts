import { homedir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Env } from "../config/env.js";
import { loadOperatorConfig, type OperatorConfig } from "../config/operator-config.js";
import { ConfigError } from "../errors.js";
import { createLogger } from "../logger.js";
import { AppMetrics } from "../metrics/app-metrics.js";
import { appOctokit, type AppOctokit } from "../github/client/app-octokit.js";
import { hostIdentity } from "../process/host-identity.js";
import { AgentGroups } from "../redis/agent-groups.js";
import { checkRedis, createRedis } from "../redis/connection.js";
import { JobQueues } from "../queue/job-queues.js";
import { JobSeal, jobKey } from "../queue/job-seal.js";
import { SlotPool } from "../redis/slot-pool.js";
import { RaceRegistry } from "../redis/race-registry.js";
import { resolveLaneSandbox, type LaneSandboxConfig } from "../sandbox/resolve-lane-sandbox.js";
import type { GitHubAuth } from "../github/github-auth.js";
import { startWorkers, type RunningWorkers } from "../workers/start-workers.js";

/** What both process roles share: config, Redis connections, queues, the registry and a logger. */
export interface Runtime {
  env: Env;
  log: Logger;
  operator: OperatorConfig;
  producer: Redis;
  queues: JobQueues;
  registry: RaceRegistry;
  Octokit: AppOctokit;
  /** This process's Prometheus metrics (one registry per runtime). */
  metrics: AppMetrics;
  close(): Promise<void>;
}

export async function createRuntime(env: Env, log: Logger = createLogger(env.LOG_LEVEL)): Promise<Runtime> {
  const operator = await loadOperatorConfig(env.AGENT_RACE_CONFIG);
  const producer = createRedis(env.REDIS_URL, "producer");
  await checkRedis(producer);
  const queues = new JobQueues(producer, env.AGENT_RACE_PREFIX, new JobSeal(jobKey(env)));
  const registry = new RaceRegistry(producer, env.AGENT_RACE_PREFIX);
  const metrics = new AppMetrics();
  const Octokit = appOctokit({ baseUrl: env.baseUrl, onRateLimit: (resource, remaining) => metrics.rateLimit(resource, remaining), throttleOff: env.AGENT_RACE_GITHUB_THROTTLE === "off" });
  return {
    env, log, operator, producer, queues, registry, Octokit, metrics,
    close: async () => {
      await queues.close();
      producer.disconnect();
    },
  };
}

/** Starts this process's workers on the runtime's Redis, once the lane sandbox has proved to work. */
export async function startRuntimeWorkers(runtime: Runtime, github: GitHubAuth): Promise<RunningWorkers> {
  const cacheDir = runtime.env.AGENT_RACE_CACHE_DIR ?? join(homedir(), ".cache", "agent-race");
  const sandbox = await requireSandbox(runtime, cacheDir);
  const connection = createRedis(runtime.env.REDIS_URL, "worker");
  const subscriber = createRedis(runtime.env.REDIS_URL, "worker");
  const prefix = runtime.env.AGENT_RACE_PREFIX;
  const workers = await startWorkers({
    connection, subscriber, prefix, queues: runtime.queues, registry: runtime.registry, github,
    laneSlots: new SlotPool(connection, prefix), agentGroups: new AgentGroups(connection, prefix, hostIdentity()),
    operator: runtime.operator, cacheDir, worktreeRoot: join(cacheDir, "worktrees"), sandbox, laneConcurrency: runtime.env.LANE_CONCURRENCY,
    lockDurationMs: runtime.env.AGENT_RACE_LOCK_MS, log: runtime.log, metrics: runtime.metrics,
  });
  return {
    close: async () => {
      await workers.close();
      subscriber.disconnect();
      connection.disconnect();
    },
  };
}

/**
 * Fails closed: workers start only when a probe ran inside a real lane sandbox, or when the operator
 * chose `sandbox: none`, which is logged as a warning (and shown on every status comment).
 */
async function requireSandbox(runtime: Runtime, cacheDir: string): Promise<LaneSandboxConfig | null> {
  const { env, operator, log } = runtime;
  const hidden = [cacheDir, env.PRIVATE_KEY_PATH, env.AGENT_RACE_CONFIG].filter((path): path is string => Boolean(path));
  const resolution = await resolveLaneSandbox(operator.sandbox, { scratchRoot: join(cacheDir, "worktrees"), hidden });
  if (resolution.kind === "off") {
    log.warn("sandbox: none — lanes run UNSANDBOXED with this worker's privileges: agents can read PRIVATE_KEY, WEBHOOK_SECRET and other agents' keys, and reach Redis");
    return null;
  }
  if (resolution.kind === "unavailable") {
    throw new ConfigError("sandbox", `${resolution.probe.problem ?? "the lane sandbox does not work here"} To run without it on purpose, set sandbox: { mode: none } in AGENT_RACE_CONFIG.`);
  }
  log.info({ bwrap: resolution.config.bwrap, caps: resolution.probe.caps ?? "none (no writable cgroup: memory and process caps are not enforced)" }, "lane sandbox ready");
  if (!resolution.probe.caps) log.warn("no writable cgroup: lanes run sandboxed, but without memory and process caps (docs/deploy.md)");
  return resolution.config;
}
