import type { IncomingMessage, ServerResponse } from "node:http";

/** This process's workers: `disabled` for `serve --no-worker` (workers run elsewhere). */
export type WorkerState = "starting" | "running" | "stopped" | "disabled";

/** A queue as `/readyz` sees it: its name and how many workers, on any machine, are connected to it (a BullMQ `Queue`). */
export interface WorkerQueue {
  readonly name: string;
  getWorkersCount(): Promise<number>;
}

export interface HealthDeps {
  /** Resolves when Redis answers. */
  ping(): Promise<unknown>;
  workers(): WorkerState;
  /** Queues whose connected workers `/readyz` counts (from Redis, any machine). */
  queues: readonly WorkerQueue[];
}

/**
 * `GET /healthz`: the process is up. `GET /readyz`: Redis answers and this process's workers run
 * (or are disabled); 503 otherwise. Both answer JSON.
 */
export function healthHandler(deps: HealthDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" || (path !== "/healthz" && path !== "/readyz")) return false;
    if (path === "/healthz") {
      send(res, 200, { status: "ok" });
      return true;
    }
    const redis = await withTimeout(deps.ping().then(() => true, () => false), 2000, false);
    const workers = deps.workers();
    const connected = redis
      ? Object.fromEntries(await Promise.all(deps.queues.map(async (q) => [q.name, await withTimeout(q.getWorkersCount().catch(() => null), 2000, null)] as const)))
      : {};
    const ready = redis && (workers === "running" || workers === "disabled");
    send(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", redis, workers, connectedWorkers: connected });
    return true;
  };
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(`${JSON.stringify(body)}\n`);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
