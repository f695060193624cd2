import { rmdirSync } from "node:fs";
import { mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ResourceLimit } from "../process/process-sandbox.js";

/** Where lane cgroups can be made on this host: one cgroup v2 parent, or v1 memory + pids parents. */
type Layout = { version: 2; parent: string } | { version: 1; memory: string; pids: string };

let layout: Promise<Layout | null> | undefined;
let counter = 0;

/**
 * A cgroup around one sandboxed process tree: `memory_mb` and `pids` caps, a kill of everything inside,
 * and which cap was hit. cgroup v2 (a delegated subtree) and the v1 memory + pids hierarchies both work;
 * where neither is writable, `create` returns null and the lane runs without these caps.
 */
export class LaneCgroup {
  private constructor(private readonly dirs: readonly string[], private readonly version: 1 | 2) {}

  /** Which kind of cgroup lanes get on this host, or why none: for the start-up log. */
  static async describe(): Promise<string | null> {
    const found = await findLayout();
    if (!found) return null;
    return found.version === 2 ? `cgroup v2 under ${found.parent}` : `cgroup v1 under ${found.memory} and ${found.pids}`;
  }

  static async create(limits: { memoryMb: number; pids: number }): Promise<LaneCgroup | null> {
    const found = await findLayout();
    if (!found) return null;
    const name = `lane-${process.pid}-${++counter}`;
    try {
      if (found.version === 2) {
        const dir = join(found.parent, name);
        await mkdir(dir);
        await writeFile(join(dir, "memory.max"), String(limits.memoryMb * 1024 * 1024));
        await writeFile(join(dir, "memory.swap.max"), "0").catch(() => undefined);
        await writeFile(join(dir, "memory.oom.group"), "1").catch(() => undefined);
        await writeFile(join(dir, "pids.max"), String(limits.pids));
        return new LaneCgroup([dir], 2);
      }
      const memory = join(found.memory, name);
      const pids = join(found.pids, name);
      await mkdir(memory);
      await mkdir(pids);
      await writeFile(join(memory, "memory.limit_in_bytes"), String(limits.memoryMb * 1024 * 1024));
      await writeFile(join(memory, "memory.memsw.limit_in_bytes"), String(limits.memoryMb * 1024 * 1024)).catch(() => undefined);
      await writeFile(join(pids, "pids.max"), String(limits.pids));
      return new LaneCgroup([memory, pids], 1);
    } catch {
      return null;
    }
  }

  /** Moves a process (and the threads it has) into the cgroup; children it forks later follow. */
  async add(pid: number): Promise<void> {
    for (const dir of this.dirs) await writeFile(join(dir, "cgroup.procs"), String(pid));
  }

  /** The cap that was hit, if any: the OOM killer ran (memory), or a fork was refused (pids). */
  async limitHit(): Promise<ResourceLimit | null> {
    const [memoryDir, pidsDir] = this.version === 2 ? [this.dirs[0], this.dirs[0]] : [this.dirs[0], this.dirs[1]];
    const memoryFile = this.version === 2 ? "memory.events" : "memory.oom_control";
    if (counterOf(await readText(join(memoryDir as string, memoryFile)), "oom_kill") > 0) return "memory";
    if (counterOf(await readText(join(pidsDir as string, "pids.events")), "max") > 0) return "pids";
    return null;
  }

  /** Kills every process left inside (daemons included) and removes the cgroup. */
  async destroy(): Promise<void> {
    if (this.version === 2) await writeFile(join(this.dirs[0] as string, "cgroup.kill"), "1").catch(() => undefined);
    for (let attempt = 0; attempt < 50; attempt++) {
      const pids = new Set<number>();
      for (const dir of this.dirs) {
        for (const line of (await readText(join(dir, "cgroup.procs"))).split("\n")) if (/^\d+$/.test(line)) pids.add(Number(line));
      }
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      let removed = 0;
      for (const dir of this.dirs) {
        try {
          await rmdir(dir);
          removed++;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") removed++;
        }
      }
      if (removed === this.dirs.length) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function readText(path: string): Promise<string> {
  return readFile(path, "utf8").catch(() => "");
}

function counterOf(text: string, key: string): number {
  const match = new RegExp(`^${key} (\\d+)$`, "m").exec(text);
  return match ? Number(match[1]) : 0;
}

function findLayout(): Promise<Layout | null> {
  layout ??= detectLayout();
  return layout;
}

/** Finds a writable place for lane cgroups below this process's own cgroup. */
async function detectLayout(): Promise<Layout | null> {
  if (process.platform !== "linux" || process.env.AGENT_RACE_CGROUP === "off") return null;
  const own = await readText("/proc/self/cgroup");
  const v1 = (controller: string): string | undefined =>
    own.split("\n").map((line) => line.split(":")).find((parts) => parts[1]?.split(",").includes(controller))?.[2];
  const memoryPath = v1("memory");
  const pidsPath = v1("pids");
  if (memoryPath !== undefined && pidsPath !== undefined) {
    const memory = join("/sys/fs/cgroup/memory", memoryPath, `agent-race-${process.pid}`);
    const pids = join("/sys/fs/cgroup/pids", pidsPath, `agent-race-${process.pid}`);
    if ((await tryMkdir(memory)) && (await tryMkdir(pids))) {
      process.once("exit", () => {
        for (const dir of [memory, pids]) {
          try {
            rmdirSync(dir);
          } catch {
            // a lane cgroup is still inside, or it is gone already
          }
        }
      });
      return { version: 1, memory, pids };
    }
    return null;
  }
  const unified = /^0::(.*)$/m.exec(own)?.[1];
  if (unified === undefined) return null;
  const controllers = await readText("/sys/fs/cgroup/cgroup.controllers");
  if (!/\bmemory\b/.test(controllers) || !/\bpids\b/.test(controllers)) return null;
  // cgroup v2 keeps processes out of inner nodes: move this process into a leaf of its own first,
  // then let its old cgroup hand memory and pids to lane cgroups beside it.
  const base = join("/sys/fs/cgroup", unified);
  const leaf = join(base, "agent-race-worker");
  try {
    if (!(await tryMkdir(leaf))) return null;
    await writeFile(join(leaf, "cgroup.procs"), String(process.pid));
    await writeFile(join(base, "cgroup.subtree_control"), "+memory +pids");
    return { version: 2, parent: base };
  } catch {
    return null;
  }
}

async function tryMkdir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}
