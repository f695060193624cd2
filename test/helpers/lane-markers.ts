import { existsSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** One line a marker agent appends: when its lane's agent started or ended, and where it ran. */
export interface LaneMarker {
  event: "start" | "end";
  lane: number;
  cwd: string;
  pid: number;
  at: number;
}

/**
 * Writes an agent script to `path`: it appends a `start` marker (AGENT_RACE_LANE, its cwd: the
 * worktree, so the worker's cache dir) to the file named by its first argument, sleeps for its
 * second argument's milliseconds, writes `src/answer.txt` = 42, and appends an `end` marker.
 */
export async function writeMarkerAgent(path: string): Promise<void> {
  await writeFile(path, [
    `import { appendFileSync, readFileSync, writeFileSync } from "node:fs";`,
    `const [markers, sleep] = process.argv.slice(2);`,
    `try { readFileSync(0); } catch { /* no stdin */ }`,
    `const mark = (event) => appendFileSync(markers, JSON.stringify({ event, lane: Number(process.env.AGENT_RACE_LANE), cwd: process.cwd(), pid: process.pid, at: Date.now() }) + "\\n");`,
    `mark("start");`,
    `await new Promise((r) => setTimeout(r, Number(sleep)));`,
    `writeFileSync("src/answer.txt", "42\\n");`,
    `mark("end");`,
  ].join("\n"));
}

export function readMarkers(file: string): LaneMarker[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as LaneMarker);
}

/** Lane numbers with a `lane-N.log` in `<cacheDir>/logs/<raceId>/` (lanes this worker started). */
export function laneLogs(cacheDir: string, raceId: string): number[] {
  const dir = join(cacheDir, "logs", raceId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const match = /^lane-(\d+)\.log$/.exec(name);
    return match ? [Number(match[1])] : [];
  }).sort((a, b) => a - b);
}

/** The pino JSON lines of a worker's output with `msg`, optionally for one race. */
export function logLines(output: string, msg: string, raceId?: string): Array<Record<string, unknown>> {
  return output.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      return parsed.msg === msg && (raceId === undefined || parsed.race === raceId) ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

/** Lanes a worker reported "lane finished" for in `raceId`, sorted. */
export function finishedLanes(output: string, raceId: string): number[] {
  return logLines(output, "lane finished", raceId).map((l) => Number(l.lane)).sort((a, b) => a - b);
}

/** The most agents that ran at once among `markers` (start/end pairs per pid). */
export function maxConcurrent(markers: LaneMarker[]): number {
  const edges = markers.map((m) => ({ at: m.at, delta: m.event === "start" ? 1 : -1 })).sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let max = 0;
  for (const edge of edges) max = Math.max(max, (now += edge.delta));
  return max;
}
