import type { IncomingMessage, ServerResponse } from "node:http";

/** Produces the page's fragments by element id; null ends the stream (e.g. the race is gone). */
export type FragmentSource = () => Promise<Record<string, string> | null>;

const PING_EVERY = 15;

/**
 * Server-sent events for live pages: every `intervalMs` the source is read (server-side poll of the
 * registry) and the fragments that changed since the last push are sent as one `update` event.
 */
export class EventStreams {
  private readonly open = new Map<ServerResponse, () => void>();

  constructor(private readonly intervalMs = 1000) {}

  serve(req: IncomingMessage, res: ServerResponse, source: FragmentSource): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no",
    });
    res.write("retry: 2000\n\n");
    const last = new Map<string, string>();
    let busy = false;
    let quiet = 0;
    const tick = async (): Promise<void> => {
      if (busy || res.writableEnded) return;
      busy = true;
      try {
        const fragments = await source();
        if (fragments === null) return stop(true);
        const changed = Object.fromEntries(Object.entries(fragments).filter(([id, markup]) => last.get(id) !== markup));
        for (const [id, markup] of Object.entries(changed)) last.set(id, markup);
        if (Object.keys(changed).length > 0) {
          res.write(`event: update\ndata: ${JSON.stringify(changed)}\n\n`);
          quiet = 0;
        } else if (++quiet % PING_EVERY === 0) {
          res.write(": ping\n\n");
        }
      } catch {
        // Redis hiccup: try again on the next tick.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), this.intervalMs);
    const stop = (end: boolean): void => {
      clearInterval(timer);
      this.open.delete(res);
      if (end && !res.writableEnded) res.end();
    };
    this.open.set(res, () => stop(true));
    req.on("close", () => stop(false));
    void tick();
  }

  get size(): number {
    return this.open.size;
  }

  /** Ends every open stream (on shutdown, so the HTTP server can close). */
  close(): void {
    for (const stop of [...this.open.values()]) stop();
  }
}
