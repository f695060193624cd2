import { parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { repoConfigSchema, type RepoConfig } from "./repo-config.js";

export const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * Parses `.github/agent-race.yml` text: safe YAML (no custom tags, few aliases, bounded size),
 * then the zod schema. Errors name the file and every offending key.
 */
export function parseRepoConfig(text: string, file: string): RepoConfig {
  return parseConfigWith(repoConfigSchema, text, file);
}

/** Reads YAML safely and validates it against `schema`, reporting errors against `file`. */
export function parseConfigWith<T extends z.ZodType>(schema: T, text: string, file: string): z.output<T> {
  const data = parseConfigYaml(text, file);
  const result = schema.safeParse(data);
  if (!result.success) throw new ConfigError(file, `invalid config\n${z.prettifyError(result.error)}`, { cause: result.error });
  return result.data;
}

function parseConfigYaml(text: string, file: string): unknown {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw new ConfigError(file, `file is larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true, customTags: [] });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new ConfigError(file, `not valid YAML: ${problems.map((p) => p.message.split("\n")[0]).join("; ")}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new ConfigError(file, `not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw new ConfigError(file, "expected a mapping of keys at the top level");
  return data;
}
