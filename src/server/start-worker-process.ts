import { Probot } from "probot";
import type { Env } from "../config/env.js";
import { ConfigError } from "../errors.js";
import { authScope } from "../git/auth-scope.js";
import { probotGitHubAuth } from "../github/github-auth.js";
import { createRuntime, startRuntimeWorkers } from "./runtime.js";

/** `agent-race worker`: workers only; any number of them on any machines share one Redis. */
export async function startWorkerProcess(env: Env): Promise<{ close(): Promise<void> }> {
  if (!env.APP_ID || !env.privateKey) throw new ConfigError("environment", "a worker needs APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)");
  const runtime = await createRuntime(env);
  const probot = new Probot({ appId: env.APP_ID, privateKey: env.privateKey, baseUrl: env.baseUrl, log: runtime.log, Octokit: runtime.Octokit });
  const workers = await startRuntimeWorkers(runtime, probotGitHubAuth(probot, authScope(env.webUrl))).catch(async (error: unknown) => {
    await runtime.close();
    throw error;
  });
  runtime.log.info({ concurrency: env.LANE_CONCURRENCY }, "worker started");
  return {
    close: async () => {
      await workers.close();
      await runtime.close();
    },
  };
}
