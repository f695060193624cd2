import { readFileSync } from "node:fs";

/**
 * When `pid` started, in clock ticks since boot (`/proc/<pid>/stat` field 22), or null when it is
 * gone (a zombie counts as gone) or there is no /proc. A pid with its start time names one process
 * even after the pid is reused.
 */
export function processStartTime(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // Fields after the parenthesised command name (which may hold spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z" || fields[0] === "X") return null;
  const ticks = Number(fields[22 - 3]);
  return Number.isSafeInteger(ticks) ? ticks : null;
}
