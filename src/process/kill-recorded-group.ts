import { killProcessTree } from "./kill-process-tree.js";
import { processStartTime } from "./process-start-time.js";

/** A process group as recorded when its leader started: the leader's pid (the group id) and start time. */
export interface RecordedGroup {
  pgid: number;
  startTime: number;
}

/**
 * SIGKILLs a recorded process group (and its /proc descendants) if its leader is still the process
 * that was recorded: a pid reused by another process has another start time and is left alone.
 * Returns whether it killed.
 */
export function killRecordedGroup(group: RecordedGroup): boolean {
  if (processStartTime(group.pgid) !== group.startTime) return false;
  killProcessTree(group.pgid, "SIGKILL");
  return true;
}
