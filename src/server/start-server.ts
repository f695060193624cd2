import { Probot, Server, run } from "probot";
import type { Env } from "../config/env.js";
import { createOperations } from "./create-operations.js";
import type { WorkerState } from "../dashboard/http/health-handler.js";
import { requestLogRedaction } from "../dashboard/http/request-log-redaction.js";
import { ConfigError } from "../errors.js";
import { createWebhookHandler, WEBHOOK_PATH } from "../webhooks/create-webhook-handler.js";
import { authScope } from "../git/auth-scope.js";
import { probotGitHubAuth } from "../github/github-auth.js";
import { createRuntime, startRuntimeWorkers } from "./runtime.js";

export interface StartedServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `agent-race serve`: the webhook server (Probot), plus an in-process worker unless `withWorker`
 * is false. Without APP_ID it shows Probot's setup page, which creates the app from app.yml.
 */
export async function startServer(env: Env, options: { withWorker: boolean }): Promise<StartedServer> {
  if (!env.APP_ID || !env.privateKey) {
    const setup = await run(() => undefined, { env: { ...process.env, PORT: String(env.PORT) } });
    return { port: setup.port, close: () => setup.stop() };
  }
  if (!env.WEBHOOK_SECRET) throw new ConfigError("environment", "WEBHOOK_SECRET is required: set it to the webhook secret of your GitHub App");
  const runtime = await createRuntime(env);
  const server = new Server({
    Probot: Probot.defaults({ appId: env.APP_ID, privateKey: env.privateKey, secret: env.WEBHOOK_SECRET, baseUrl: env.baseUrl, log: runtime.log, Octokit: runtime.Octokit }),
    port: env.PORT,
    host: env.HOST ?? "0.0.0.0",
    log: requestLogRedaction(runtime.log),
    // Probot's own endpoint moves aside (it would answer first); ours serves WEBHOOK_PATH.
    webhookPath: `${WEBHOOK_PATH}/probot-unused`,
  });
  const webhooks = createWebhookHandler({ secret: env.WEBHOOK_SECRET, log: runtime.log, deps: { queues: runtime.queues, registry: runtime.registry } });
  let probot: Probot | undefined;
  let workerState: WorkerState = options.withWorker ? "starting" : "disabled";
  // /healthz, /readyz, /metrics and the dashboard (docs/dashboard.md).
  const operations = createOperations(runtime, { workers: () => workerState });
  await server.load((app, { addHandler }) => {
    probot = app;
    addHandler(webhooks);
    addHandler(operations.handler);
  });
  // Workers first: when they cannot start (no working lane sandbox), nothing listens and nothing stays open.
  let workers: Awaited<ReturnType<typeof startRuntimeWorkers>> | null = null;
  try {
    workers = options.withWorker && probot ? await startRuntimeWorkers(runtime, probotGitHubAuth(probot, authScope(env.webUrl))) : null;
    await server.start();
  } catch (error) {
    await workers?.close();
    await operations.close();
    await server.stop().catch(() => undefined);
    await runtime.close();
    throw error;
  }
  if (options.withWorker) workerState = workers ? "running" : "stopped";
  return {
    port: server.port,
    close: async () => {
      if (options.withWorker) workerState = "stopped";
      await workers?.close();
      await operations.close();
      await server.stop();
      await runtime.close();
    },
  };
}
