import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeMiddleware, Webhooks } from "@octokit/webhooks";
import type { Logger } from "pino";
import { createApp, type AppDeps } from "./create-app.js";
import { readLimitedBody } from "./read-limited-body.js";

/** Where GitHub posts deliveries (Probot's default path, so existing app settings keep working). */
export const WEBHOOK_PATH = "/api/github/webhooks";

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** GitHub caps webhook payloads at 25 MB; a larger body is refused (413) before it is kept. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/**
 * The webhook endpoint: verify the signature on the raw body, run createApp's handlers, answer
 * (200, 400 for a bad signature, 500 when a handler threw). It stands in for Probot's endpoint,
 * which builds an installation Octokit and a child logger for every delivery before a handler can
 * filter it out: about a quarter of the server's CPU per delivery (docs/performance.md, ingest).
 * Resolves false for other paths, so the next handler can take them. The body is read here, under
 * MAX_WEBHOOK_BYTES (Content-Length checked first, bytes counted while streaming), before the
 * middleware verifies its signature: an unsigned body can cost at most that much memory.
 */
export function createWebhookHandler(options: { secret: string; log: Logger; deps: AppDeps }): WebhookHandler {
  const { log } = options;
  const webhooks = new Webhooks({ secret: options.secret, log });
  createApp(options.deps)({ on: webhooks.on, log });
  const middleware = createNodeMiddleware(webhooks, {
    path: WEBHOOK_PATH,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (error: unknown) => logFailure(log, error) },
  });
  return async (req, res) => {
    if (!isWebhookPost(req)) return Boolean(await middleware(req, res));
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > MAX_WEBHOOK_BYTES) return tooLarge(req, res, log, declared);
    const read = await readLimitedBody(req, MAX_WEBHOOK_BYTES);
    if (read.kind === "too-large") return tooLarge(req, res, log, read.bytes);
    if (read.kind === "aborted") {
      req.destroy();
      return true;
    }
    // @octokit/webhooks takes a string body as the raw payload, so it verifies exactly these bytes.
    (req as IncomingMessage & { body?: string }).body = read.body.toString("utf8");
    return Boolean(await middleware(req, res));
  };
}

/** A POST to the webhook path with the headers the middleware needs (without them it answers 400 unread). */
function isWebhookPost(req: IncomingMessage): boolean {
  if (req.method !== "POST" || !req.headers["x-hub-signature-256"] || !req.headers["x-github-event"] || !req.headers["x-github-delivery"]) return false;
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") === WEBHOOK_PATH;
  } catch {
    return false;
  }
}

/**
 * 413, then the rest of the body is discarded as it arrives (never kept), so the client can finish
 * sending and read the answer; after 5 s the connection is cut. Closing at once would reset it
 * while the client still writes, and it could lose the 413.
 */
function tooLarge(req: IncomingMessage, res: ServerResponse, log: Logger, bytes: number): true {
  log.warn({ bytes, delivery: req.headers["x-github-delivery"] }, "webhook body over 25 MB refused");
  res.writeHead(413, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: "Payload too large: GitHub's webhook payloads are at most 25 MB" }));
  const drop = setTimeout(() => req.destroy(), 5_000);
  drop.unref();
  req.on("end", () => clearTimeout(drop));
  req.on("close", () => clearTimeout(drop));
  req.resume();
  return true;
}

/**
 * One line per failure, with the delivery id. The middleware hands over an AggregateError; the
 * delivery is on it (a handler failed) or on the error inside it (a bad signature).
 */
function logFailure(log: Logger, error: unknown): void {
  const errors: unknown[] = error instanceof AggregateError ? error.errors : [error];
  for (const err of errors) {
    const event = eventOf(err) ?? eventOf(error);
    const signature = /signature does not match/i.test(String((err as Error | undefined)?.message));
    const message = signature ? "webhook signature does not match: check WEBHOOK_SECRET against the app's webhook secret" : "webhook delivery failed";
    // Not the error itself: @octokit/webhooks hangs the whole event (payload, signature) on it.
    const { name, message: text, stack } = err instanceof Error ? err : new Error(String(err));
    log.error({ err: { type: name, message: text, stack }, delivery: event?.id, event: event?.name }, message);
  }
}

function eventOf(error: unknown): { id?: string; name?: string } | undefined {
  const event = (error as { event?: unknown } | null)?.event;
  return event && typeof event === "object" && !(event instanceof Error) ? (event as { id?: string; name?: string }) : undefined;
}
