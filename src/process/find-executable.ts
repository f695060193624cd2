import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";

/** The executable `file` names: a path (relative to `cwd`), or the first match on `pathEnv`; null when none. */
export async function findExecutable(file: string, cwd: string, pathEnv: string | undefined): Promise<string | null> {
  if (file.includes("/")) {
    const path = isAbsolute(file) ? file : resolve(cwd, file);
    return (await executable(path)) ? path : null;
  }
  for (const dir of (pathEnv ?? "").split(":")) {
    if (!isAbsolute(dir)) continue;
    const path = join(dir, file);
    if (await executable(path)) return path;
  }
  return null;
}

function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}
