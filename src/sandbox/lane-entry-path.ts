import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the compiled lane entry is (pure: no file system access). From dist/ it is the sibling
 * `lane-entry.js`; from src/ (vitest runs the TypeScript) it is `<package root>/dist/sandbox/lane-entry.js`,
 * which `npm run build` writes.
 */
export function laneEntryPath(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith(".js")) return join(dirname(here), "lane-entry.js");
  return join(dirname(here), "..", "..", "dist", "sandbox", "lane-entry.js");
}
