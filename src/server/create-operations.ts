import type { WorkerState } from "../dashboard/http/health-handler.js";
import { QUEUES_PATH } from "../dashboard/http/dashboard-handler.js";
import { operationsHandler, type Operations } from "../dashboard/http/operations-handler.js";
import { QueueBoard } from "../queue/queue-board.js";
import { QueueHandles } from "../queue/queue-handles.js";
import { SessionStore } from "../redis/session-store.js";
import type { Runtime } from "./runtime.js";

/**
 * `/healthz`, `/readyz`, `/metrics` and the dashboard on the runtime's Redis: the dashboard's
 * interfaces met by the registry's race records, the Redis session store, and BullMQ queue handles
 * (connected workers, queue depth for the metrics, race jobs, bull-board).
 */
export function createOperations(runtime: Pick<Runtime, "env" | "log" | "producer" | "registry" | "metrics">, options: { workers: () => WorkerState; pollMs?: number }): Operations {
  const { env, log, producer, registry, metrics } = runtime;
  const prefix = env.AGENT_RACE_PREFIX;
  const queues = new QueueHandles(producer, prefix);
  metrics.watchQueues(queues.all);
  const operations = operationsHandler({
    env, log, metrics,
    ping: () => producer.ping(),
    queues: queues.all,
    races: registry.races,
    raceJob: (raceId) => queues.raceJobData(raceId),
    sessions: new SessionStore(producer, prefix),
    board: () => {
      const board = new QueueBoard(queues.all, QUEUES_PATH);
      return (req, res, access) => board.serve(req, res, access);
    },
  }, options);
  return {
    handler: operations.handler,
    close: async () => {
      await operations.close();
      metrics.watchQueues([]);
      await queues.close();
    },
  };
}
