import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { SandboxLaneDirs } from "./lane-sandbox.js";

/**
 * Runs `fn` in a throwaway lane directory under `root` (empty `work`, `home`, `tmp` and `objects`,
 * mode 0700, as a real lane has), then removes it: for checks that start a process in a lane
 * sandbox without a race (the start-up probe, `agent-race agents`).
 */
export async function withScratchLane<T>(root: string, prefix: string, fn: (lane: SandboxLaneDirs) => Promise<T>): Promise<T> {
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(join(root, prefix));
  const lane = { dir, work: join(dir, "work"), home: join(dir, "home"), tmp: join(dir, "tmp"), objectsDir: join(dir, "objects") };
  try {
    for (const path of [lane.work, lane.home, lane.tmp, lane.objectsDir]) await mkdir(path, { mode: 0o700 });
    return await fn(lane);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
