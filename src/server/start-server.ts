import type { IncomingMessage, ServerResponse } from "node:http";
import { Probot, Server, run } from "probot";
import type { Env } from "../config/env.js";
import { ConfigError } from "../errors.js";
import { createApp } from "../webhooks/create-app.js";
import { probotGitHubAuth } from "../workers/github-auth.js";
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
    log: runtime.log,
  });
  let probot: Probot | undefined;
  await server.load((app, { addHandler }) => {
    probot = app;
    createApp({ queues: runtime.queues, registry: runtime.registry })(app);
    addHandler(async (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== "GET" || (req.url !== "/healthz" && req.url !== "/readyz")) return false;
      const ready = req.url === "/healthz" || (await runtime.producer.ping().then(() => true, () => false));
      res.writeHead(ready ? 200 : 503, { "content-type": "text/plain" }).end(ready ? "ok\n" : "redis unreachable\n");
      return true;
    });
  });
  await server.start();
  const workers = options.withWorker && probot ? await startRuntimeWorkers(runtime, probotGitHubAuth(probot)) : null;
  return {
    port: server.port,
    close: async () => {
      await workers?.close();
      await server.stop();
      await runtime.close();
    },
  };
}
