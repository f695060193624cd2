import { spawn, type ChildProcess } from "node:child_process";

/** A redis-server of a test's own (a password, TLS), started with `args` and ready for connections. */
export interface TestRedisServer {
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedisServer(args: readonly string[]): Promise<TestRedisServer> {
  const child = spawn("redis-server", [...args], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return {
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
