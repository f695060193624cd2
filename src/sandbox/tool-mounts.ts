import { realpath } from "node:fs/promises";
import { basename, dirname, sep } from "node:path";
import { findExecutable } from "../process/find-executable.js";

/** What a command needs mounted read-only to start in the sandbox, and the file to run there. */
export interface ToolMounts {
  /** The command's file, resolved through PATH and symlinks (what the sandbox runs). */
  file: string;
  /** Install roots to bind read-only: the command's package or prefix, and the worker's Node. */
  mounts: string[];
  /** Directories to put in front of the sandbox's PATH (where the worker's `node` is). */
  path: string[];
}

/**
 * Agent CLIs are often installed outside the system directories the sandbox shows: `npm i -g`
 * under a user prefix (`~/.npm-global/lib/node_modules/@anthropic-ai/claude-code`), nvm's Node,
 * pipx's virtualenvs. This finds the command's real file and the smallest directory it needs: the
 * `node_modules` it lives in (its package and the sibling packages it needs), else the
 * prefix above a `bin/` directory, else its own directory. The worker's Node install is added the
 * same way, for `#!/usr/bin/env node` scripts. Nothing is added for a file already under `visible`.
 */
export async function toolMounts(file: string, options: { cwd: string; pathEnv: string | undefined; visible: readonly string[] }): Promise<ToolMounts> {
  const found = await findExecutable(file, options.cwd, options.pathEnv);
  const real = found ? await realpath(found).catch(() => found) : null;
  const mounts: string[] = [];
  const path: string[] = [];
  if (real && !options.visible.some((root) => isWithin(real, root))) mounts.push(installRoot(real));
  const node = await realpath(process.execPath).catch(() => process.execPath);
  if (!options.visible.some((root) => isWithin(node, root))) {
    mounts.push(installRoot(node));
    path.push(dirname(node));
  }
  return { file: real ?? file, mounts: [...new Set(mounts)], path };
}

function installRoot(real: string): string {
  const parts = real.split(sep);
  const modules = parts.indexOf("node_modules");
  // The whole node_modules: npm puts a CLI's platform binaries in sibling packages
  // (@openai/codex next to @openai/codex-linux-x64), and code is all it holds.
  if (modules > 0) return parts.slice(0, modules + 1).join(sep);
  const dir = dirname(real);
  return basename(dir) === "bin" && dirname(dir) !== "/" ? dirname(dir) : dir;
}

function isWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}
