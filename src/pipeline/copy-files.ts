import { copyFile, mkdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Copies the config's `copy` files (e.g. `.env`) from the main checkout into a worktree.
 * Returns the paths that were missing, which are skipped and reported.
 */
export async function copyFiles(paths: readonly string[], from: string, to: string): Promise<string[]> {
  const missing: string[] = [];
  for (const path of paths) {
    const source = join(from, path);
    const info = await stat(source).catch(() => null);
    if (!info?.isFile()) {
      missing.push(path);
      continue;
    }
    await mkdir(dirname(join(to, path)), { recursive: true });
    await copyFile(source, join(to, path));
  }
  return missing;
}
