import type { IncomingMessage, ServerResponse } from "node:http";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Env } from "../../config/env.js";
import type { AppMetrics } from "../../metrics/app-metrics.js";
import { metricsHandler } from "../../metrics/metrics-handler.js";
import { QUEUES } from "../../queue/queue-names.js";
import type { RaceRegistry } from "../../queue/race-registry.js";
import { AccessControl } from "../auth/access-control.js";
import { dashboardConfig } from "../dashboard-config.js";
import { dashboardHandler, type HttpHandler } from "./dashboard-handler.js";
import { DashboardPages } from "./dashboard-pages.js";
import { EventStreams } from "./event-streams.js";
import { healthHandler, type WorkerState } from "./health-handler.js";
import { OAuthRoutes } from "./oauth-routes.js";
import { QueueBoard } from "./queue-board.js";
import { RaceSource } from "./race-source.js";
import { SessionStore } from "../auth/session-store.js";

export interface OperationsDeps {
  env: Env;
  log: Logger;
  producer: Redis;
  registry: RaceRegistry;
  metrics: AppMetrics;
}

export interface Operations {
  /** For Probot's `addHandler`: true when it answered the request. */
  handler: HttpHandler;
  close(): Promise<void>;
}

/**
 * The serve process's operational HTTP surface: `/healthz`, `/readyz`, `/metrics` and the dashboard
 * under `/agent-race` (off, i.e. 404, unless DASHBOARD_TOKEN or GitHub sign-in is configured).
 */
export function createOperations(deps: OperationsDeps, options: { workers: () => WorkerState; pollMs?: number }): Operations {
  const prefix = deps.env.AGENT_RACE_PREFIX;
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: deps.producer, prefix }));
  const racesQueue = queues.find((q) => q.name === QUEUES.races) ?? null;
  deps.metrics.watchQueues(queues);
  const streams = new EventStreams(options.pollMs ?? 1000);
  const handlers: HttpHandler[] = [
    healthHandler({ ping: () => deps.producer.ping(), workers: options.workers, queues }),
    metricsHandler(deps.metrics, deps.env.DASHBOARD_TOKEN),
  ];
  const config = dashboardConfig(deps.env);
  if (config) {
    const sessions = config.oauth ? new SessionStore(deps.producer, prefix) : null;
    const access = new AccessControl(config, sessions);
    const oauth = config.oauth && sessions ? new OAuthRoutes(config.oauth, access, sessions, deps.log.child({ name: "dashboard" })) : null;
    const pages = new DashboardPages(new RaceSource(deps.registry, racesQueue), streams);
    handlers.push(dashboardHandler({ access, oauth, pages, board: new QueueBoard(queues) }));
  }
  return {
    handler: async (req: IncomingMessage, res: ServerResponse) => {
      for (const handle of handlers) if (await handle(req, res)) return true;
      return false;
    },
    close: async () => {
      streams.close();
      deps.metrics.watchQueues([]);
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
