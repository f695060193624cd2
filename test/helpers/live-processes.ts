import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { isProcessAlive } from "./is-process-alive.js";

/** What /proc says of one process (empty strings where it is not ours to read). */
export interface ProcessView {
  pid: number;
  /** argv joined with spaces. */
  cmdline: string;
  /** Its working directory as the host sees it, or null. */
  cwd: string | null;
  /** Its environment, NUL-separated. */
  environ: string;
}

/** Live processes (zombies excluded, this one too) that `match` picks. */
export function liveProcesses(match: (process: ProcessView) => boolean): ProcessView[] {
  const found: ProcessView[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    } catch {
      continue;
    }
    const view: ProcessView = { pid, cmdline, cwd: read(() => readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, "")), environ: read(() => readFileSync(`/proc/${pid}/environ`, "utf8")) ?? "" };
    if (match(view) && isProcessAlive(pid)) found.push(view);
  }
  return found;
}

function read(fn: () => string): string | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
