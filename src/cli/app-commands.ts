import type { Command } from "commander";
import { loadEnv } from "../config/env.js";

/** `serve` and `worker`: the GitHub App's two process roles; both stop cleanly on SIGTERM/SIGINT. */
export function registerAppCommands(program: Command): void {
  program
    .command("serve")
    .description("run the GitHub App: webhook server plus an in-process worker (npm start)")
    .option("--no-worker", "serve webhooks only; run workers with `agent-race worker`")
    .action(async (options: { worker: boolean }) => {
      // Loaded on demand: the local CLI never pays for Probot and BullMQ at start-up.
      const { startServer } = await import("../server/start-server.js");
      const server = await startServer(loadEnv(), { withWorker: options.worker });
      await untilSignal();
      await server.close();
    });

  program
    .command("worker")
    .description("run race workers only (scale out: any number, on any machines sharing REDIS_URL)")
    .action(async () => {
      const { startWorkerProcess } = await import("../server/start-worker-process.js");
      const worker = await startWorkerProcess(loadEnv());
      await untilSignal();
      await worker.close();
    });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolve();
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
