import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeMiddleware, Webhooks } from "@octokit/webhooks";
import type { Logger } from "pino";
import { createApp, type AppDeps } from "./create-app.js";

/** Where GitHub posts deliveries (Probot's default path, so existing app settings keep working). */
export const WEBHOOK_PATH = "/api/github/webhooks";

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The webhook endpoint: verify the signature on the raw body, run createApp's handlers, answer
 * (200, 400 for a bad signature, 500 when a handler threw). It stands in for Probot's endpoint,
 * which builds an installation Octokit and a child logger for every delivery before a handler can
 * filter it out: about a quarter of the server's CPU per delivery (docs/performance.md, ingest).
 * Resolves false for other paths, so the next handler can take them.
 */
export function createWebhookHandler(options: { secret: string; log: Logger; deps: AppDeps }): WebhookHandler {
  const { log } = options;
  const webhooks = new Webhooks({ secret: options.secret, log });
  createApp(options.deps)({ on: webhooks.on, log });
  const middleware = createNodeMiddleware(webhooks, {
    path: WEBHOOK_PATH,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (error: unknown) => logFailure(log, error) },
  });
  return async (req, res) => Boolean(await middleware(req, res));
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
