import { constants, type Stats } from "node:fs";
import { lstat, open, readlink, realpath } from "node:fs/promises";
import { isAbsolute, relative } from "node:path";
import { resolveReportPath } from "./resolve-report-path.js";

export interface ReadReportOptions {
  /** What the file is, for messages: "JUnit report". */
  label: string;
  /** A larger file is refused, not read. */
  maxBytes: number;
  /** Reading that takes longer is given up. */
  timeoutMs: number;
}

/** 10 MiB: far above any real test run's JUnit report, far below what hurts a worker. */
export const MAX_REPORT_BYTES = 10 * 1024 * 1024;
export const REPORT_READ_TIMEOUT_MS = 5000;

/**
 * Reads a report file that a lane's eval wrote into its worktree `cwd`. The lane's code chose what
 * lies at that path, so only a regular file inside the worktree is read: no symlink (not even one
 * that stays inside), no FIFO (opening one blocks until a writer comes), no device (`/dev/zero` never
 * ends), no socket or directory. The file is opened with O_NOFOLLOW|O_NONBLOCK and checked again
 * on the open descriptor, so a swap between the check and the open changes nothing; it is read
 * only up to `maxBytes`, within `timeoutMs`. Throws an Error whose message is a lane note.
 */
export async function readReportFile(cwd: string, path: string, options: ReadReportOptions): Promise<Buffer> {
  const { label, maxBytes, timeoutMs } = options;
  const root = await realpath(cwd);
  // The directories are checked (realpath inside the worktree); the entry itself is lstat'ed, never followed.
  const file = await resolveReportPath(root, path);
  let info: Stats;
  try {
    info = await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`no ${label} at ${path}`);
    throw error;
  }
  refuseKind(info, label, path);
  if (info.size > maxBytes) throw tooLarge(label, path, info.size, maxBytes);

  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY).catch((error: NodeJS.ErrnoException) => {
    // ELOOP: the path became a symlink after the check.
    if (error.code === "ELOOP") throw new Error(`${label} ${path} is a symlink; only a regular file inside the worktree is read`);
    if (error.code === "ENOENT") throw new Error(`no ${label} at ${path}`);
    throw error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const opened = await handle.stat();
    refuseKind(opened, label, path);
    if (opened.ino !== info.ino || opened.dev !== info.dev) throw new Error(`${label} ${path} was replaced while it was being read`);
    await refuseOutside(root, handle.fd, label, path);
    const read = async (): Promise<Buffer> => {
      // One byte more than allowed tells a file that grew past the cap after the check.
      const buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled > maxBytes) throw tooLarge(label, path, filled, maxBytes);
      return buffer.subarray(0, filled);
    };
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`reading ${label} ${path} took longer than ${timeoutMs / 1000}s`)), timeoutMs);
    });
    return await Promise.race([read(), timeout]);
  } finally {
    clearTimeout(timer);
    await handle.close().catch(() => undefined);
  }
}

function refuseKind(info: Stats, label: string, path: string): void {
  if (info.isFile()) return;
  const kind = info.isSymbolicLink()
    ? "a symlink"
    : info.isFIFO()
      ? "a FIFO"
      : info.isSocket()
        ? "a socket"
        : info.isCharacterDevice() || info.isBlockDevice()
          ? "a device"
          : info.isDirectory()
            ? "a directory"
            : "not a file";
  throw new Error(`${label} ${path} is ${kind}; only a regular file inside the worktree is read`);
}

/** Where the descriptor really points (Linux's /proc): a directory swapped for a symlink after the path check would show here. */
async function refuseOutside(root: string, fd: number, label: string, path: string): Promise<void> {
  const real = await readlink(`/proc/self/fd/${fd}`).catch(() => null);
  if (real === null) return;
  const rel = relative(root, real);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) throw new Error(`${label} ${path} leads outside the worktree`);
}

function tooLarge(label: string, path: string, size: number, maxBytes: number): Error {
  return new Error(`${label} ${path} is ${megabytes(size)}, over the ${megabytes(maxBytes)} limit; it was not read`);
}

function megabytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}
