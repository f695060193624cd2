import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Env } from "../../config/env.js";
import type { AppMetrics } from "../../metrics/app-metrics.js";
import { metricsHandler } from "../../metrics/metrics-handler.js";
import { AccessControl } from "../auth/access-control.js";
import type { Sessions } from "../auth/sessions.js";
import { dashboardConfig } from "../dashboard-config.js";
import { dashboardHandler, type HttpHandler, type QueueBoardHandler } from "./dashboard-handler.js";
import { DashboardPages } from "./dashboard-pages.js";
import { EventStreams } from "./event-streams.js";
import { healthHandler, type WorkerQueue, type WorkerState } from "./health-handler.js";
import { OAuthRoutes } from "./oauth-routes.js";
import { RaceSource, type RaceJobLookup, type RaceReader } from "./race-source.js";

/** What the operational HTTP surface reads; `server/create-operations.ts` builds it from Redis and BullMQ. */
export interface OperationsDeps {
  env: Env;
  log: Logger;
  metrics: AppMetrics;
  /** Resolves when Redis answers. */
  ping(): Promise<unknown>;
  /** The queues whose connected workers `/readyz` counts (from Redis, any machine). */
  queues: readonly WorkerQueue[];
  races: RaceReader;
  raceJob: RaceJobLookup;
  /** Signed-in GitHub users (only used with GitHub sign-in configured). */
  sessions: Sessions;
  /** Builds the queue view served under `QUEUES_PATH` (only called with the dashboard on). */
  board: () => QueueBoardHandler;
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
export function operationsHandler(deps: OperationsDeps, options: { workers: () => WorkerState; pollMs?: number }): Operations {
  const streams = new EventStreams(options.pollMs ?? 1000);
  const handlers: HttpHandler[] = [
    healthHandler({ ping: deps.ping, workers: options.workers, queues: deps.queues }),
    metricsHandler(deps.metrics, deps.env.DASHBOARD_TOKEN),
  ];
  const config = dashboardConfig(deps.env);
  if (config) {
    const sessions = config.oauth ? deps.sessions : null;
    const access = new AccessControl(config, sessions);
    const oauth = config.oauth && sessions ? new OAuthRoutes(config.oauth, access, sessions, deps.log.child({ name: "dashboard" })) : null;
    const pages = new DashboardPages(new RaceSource(deps.races, deps.raceJob), streams);
    handlers.push(dashboardHandler({ access, oauth, pages, board: deps.board() }));
  }
  return {
    handler: async (req: IncomingMessage, res: ServerResponse) => {
      for (const handle of handlers) if (await handle(req, res)) return true;
      return false;
    },
    close: async () => {
      streams.close();
    },
  };
}
