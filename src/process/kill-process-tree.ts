import { readdirSync, readFileSync } from "node:fs";

/** Lists every live descendant of `rootPid` by walking /proc (Linux); elsewhere returns []. */
export function listDescendants(rootPid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // Field 4 (ppid) comes after the parenthesised command name, which may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const result: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of children.get(pid) ?? []) {
      result.push(child);
      queue.push(child);
    }
  }
  return result;
}

/**
 * Sends `signal` to the process group led by `pid` (processes are spawned detached, so the
 * group id is the pid) and to every descendant found in /proc, which also reaches children
 * that moved to a group of their own.
 */
export function killProcessTree(pid: number, signal: NodeJS.Signals): void {
  const descendants = listDescendants(pid);
  for (const target of [-pid, pid, ...descendants]) {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Sends `signal` to the process group led by `pid` only. For a process that has exited: its
 * children were reparented, so walking /proc from its pid finds nothing and costs a scan of every
 * process (a synchronous read of each /proc/<pid>/stat) on each of the many short git calls.
 */
export function killProcessGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
