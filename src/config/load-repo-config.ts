import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import { parseRepoConfig } from "./parse-repo-config.js";
import type { RepoConfig } from "./repo-config.js";

export const REPO_CONFIG_PATH = ".github/agent-race.yml";

/** Loads a repo config file; a missing file means the defaults. */
export async function loadRepoConfig(path: string, options: { required?: boolean } = {}): Promise<RepoConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && !options.required) return parseRepoConfig("", path);
    throw new ConfigError(path, `cannot read the file: ${(error as Error).message}`, { cause: error });
  }
  return parseRepoConfig(text, path);
}
