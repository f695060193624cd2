import { lstat, mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { constants } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/** The largest file `home_files` copies (config files and logins, not data). */
const MAX_BYTES = 1024 * 1024;

/**
 * Copies the operator's `home_files` of an agent into the lane's HOME (mode 0600, folders 0700),
 * just before the agent starts, and returns how to remove them once it has ended, so setup
 * (before) and the evals (after), which are the repository's code, never see them. A lane process
 * may have planted symlinks in HOME: every folder on the way and the file itself are made fresh
 * (a symlink is removed, never followed), and the file is created with O_EXCL|O_NOFOLLOW.
 * Throws with the path that could not be read or written.
 */
export async function seedHome(home: string, files: Readonly<Record<string, string>>): Promise<() => Promise<void>> {
  const written: string[] = [];
  const cleanup = async (): Promise<void> => {
    await Promise.all(written.map((path) => rm(path, { force: true })));
  };
  try {
    for (const [inside, source] of Object.entries(files)) {
      const content = await readSource(source);
      const target = join(home, inside);
      if (relative(home, target).startsWith("..")) throw new Error(`home_files: ${inside} is not inside HOME`);
      await freshFolders(home, dirname(target));
      await rm(target, { force: true, recursive: true });
      const handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      written.push(target);
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  return cleanup;
}

async function readSource(source: string): Promise<Buffer> {
  try {
    const info = await stat(source);
    if (!info.isFile()) throw new Error("not a regular file");
    if (info.size > MAX_BYTES) throw new Error(`larger than ${MAX_BYTES} bytes`);
    return await readFile(source);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`home_files: cannot read ${source}: ${reason}`, { cause: error });
  }
}

/** Makes every folder from `home` down to `folder` a real folder: a symlink or file in the way is removed. */
async function freshFolders(home: string, folder: string): Promise<void> {
  let path = home;
  for (const part of relative(home, folder).split(sep).filter(Boolean)) {
    path = join(path, part);
    const info = await lstat(path).catch(() => null);
    if (info && !info.isDirectory()) await rm(path, { force: true });
    if (!info || !info.isDirectory()) await mkdir(path, { mode: 0o700 });
  }
}
