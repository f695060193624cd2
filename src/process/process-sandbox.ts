/**
 * What `runProcess` needs from a sandbox (src/sandbox/ implements it): the command to spawn in place
 * of the real one, and hooks around its life. The process layer knows nothing of bubblewrap.
 */
export interface ProcessSandbox {
  wrap(command: SandboxCommand): Promise<WrappedCommand>;
}

export interface SandboxCommand {
  file: string;
  args: readonly string[];
  /** The process's complete environment. */
  env: Record<string, string>;
  cwd: string;
}

/** A resource cap the process hit: `memory` (the cgroup's OOM killer ran) or `pids` (fork refused). */
export type ResourceLimit = "memory" | "pids";

export interface WrappedCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** How many extra pipes (fd 3, 4, …) the wrapper needs. */
  extraPipes: number;
  /**
   * Runs right after spawn, with the spawned pid and the extra pipes (index 0 is fd 3); the process
   * only starts the real command once this resolves. Throwing stops the process.
   */
  started(pid: number, pipes: readonly NodeJS.ReadWriteStream[]): Promise<void>;
  /** Kills whatever is left inside, releases the sandbox's resources and says which cap was hit. */
  finish(): Promise<{ limit: ResourceLimit | null; notes: string[] }>;
}
