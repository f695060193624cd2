import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { liveProcesses } from "./live-processes.js";

export const CLI = fileURLToPath(new URL("../../bin/agent-race.js", import.meta.url));

export interface WorkerChild {
  child: ChildProcess;
  pid: number;
  /** Everything the worker wrote to stdout and stderr so far (its pino log). */
  output(): string;
  /** Resolves with the exit code/signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True until the process has exited. */
  running(): boolean;
  /** SIGKILLs the worker unless it already exited, and waits for it. */
  kill(): Promise<void>;
}

/** Starts the built CLI's `agent-race worker` as a child process with `env` (nothing else inherited). */
export async function startWorkerChild(env: Record<string, string>): Promise<WorkerChild> {
  const child = spawn(process.execPath, [CLI, "worker"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  const handle: WorkerChild = {
    child, pid: child.pid as number, exited, output: () => output, running: () => !done,
    kill: async () => {
      if (!done) child.kill("SIGKILL");
      await exited;
    },
  };
  // Ready once it has logged "worker started" (needs LOG_LEVEL info or lower), or after a short while.
  const ready = Date.now() + 10_000;
  while (!done && !/worker started/.test(output) && Date.now() < ready) await new Promise((r) => setTimeout(r, 50));
  if (done) throw new Error(`the worker exited at start:\n${output}`);
  return handle;
}

/** Live processes (zombies excluded) whose working directory is `dir` or inside it: agents and their children. */
export function processesIn(dir: string): Array<{ pid: number; cmdline: string }> {
  return liveProcesses(({ cwd }) => cwd !== null && (cwd === dir || cwd.startsWith(`${dir}/`))).map(({ pid, cmdline }) => ({ pid, cmdline }));
}

/** SIGKILLs every process working inside `dir` (and their groups); returns what it found. */
export function killProcessesIn(dir: string): Array<{ pid: number; cmdline: string }> {
  const found = processesIn(dir);
  for (const { pid } of found) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // gone, or not a group leader
      }
    }
  }
  return found;
}
