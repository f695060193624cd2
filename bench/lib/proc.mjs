// @ts-check
// Small process helpers for the benchmarks: git and du through argv arrays, with a hard timeout.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Runs a command; resolves with stdout, rejects with stderr on a non-zero exit or after `timeoutMs`.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} [options]
 * @returns {Promise<string>}
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 15 * 60_000, killSignal: "SIGKILL", maxBuffer: 256 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${String(stderr).slice(-2000)}`));
        else resolve(String(stdout));
      },
    );
  });
}

/**
 * @param {readonly string[]} args
 * @param {string} cwd
 * @param {{ env?: NodeJS.ProcessEnv, timeoutMs?: number }} [options]
 */
export function git(args, cwd, options = {}) {
  return run("git", args, { cwd, ...options });
}

/** Disk blocks actually allocated under `paths` (`du -skc`; hard links counted once), in bytes. */
export async function duBytes(/** @type {string[] | string} */ paths) {
  const list = Array.isArray(paths) ? paths : [paths];
  if (list.length === 0) return 0;
  const out = await run("du", ["-skc", ...list]);
  return Number(/(\d+)\s+total\s*$/.exec(out)?.[1] ?? 0) * 1024;
}

/** Apparent size (sum of file lengths) under `paths`, in bytes. */
export async function apparentBytes(/** @type {string[] | string} */ paths) {
  const list = Array.isArray(paths) ? paths : [paths];
  if (list.length === 0) return 0;
  const out = await run("du", ["-sbc", ...list]);
  return Number(/(\d+)\s+total\s*$/.exec(out)?.[1] ?? 0);
}

/**
 * CPU seconds used so far by this process plus its waited-for descendants (`/proc/self/stat` cutime +
 * cstime, which accumulate grandchildren too). Differences of two readings are far less sensitive than
 * wall time to other load on the machine.
 */
export function cpuSeconds() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): cutime is field 16, cstime field 17.
  const children = (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  const self = process.cpuUsage();
  return children + (self.user + self.system) / 1e6;
}
const CLOCK_TICKS = 100;
