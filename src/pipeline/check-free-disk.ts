import { mkdir, statfs } from "node:fs/promises";

/**
 * Why a lane must not start on the file system holding `dir` (less than `minFreeMb` left for an
 * unprivileged user), or null when there is room. A lane that ran out of disk halfway through would
 * fail in a confusing place (a half-written checkout, ENOSPC from npm or git), so it is refused first.
 */
export async function checkFreeDisk(dir: string, minFreeMb: number): Promise<string | null> {
  if (minFreeMb <= 0) return null;
  await mkdir(dir, { recursive: true });
  const stats = await statfs(dir);
  const freeMb = Math.floor((stats.bavail * stats.bsize) / (1024 * 1024));
  if (freeMb >= minFreeMb) return null;
  return `not started: only ${freeMb} MB free on the disk holding the lanes (${dir}); the sandbox needs at least ${minFreeMb} MB (min_free_disk_mb)`;
}
