import { UnrecoverableError } from "bullmq";
import type { OperatorConfig } from "../config/operator-config.js";
import type { RepoConfig } from "../config/repo-config.js";
import { resolveServerConfig } from "../config/agents/resolve-server-config.js";
import { ConfigError } from "../errors.js";

/** A job's repo config under the operator's rules; an invalid one is not retried. */
export function jobConfig(configText: string | null, operator: OperatorConfig): RepoConfig {
  try {
    return resolveServerConfig(configText, operator);
  } catch (error) {
    if (error instanceof ConfigError) throw new UnrecoverableError(error.message);
    throw error;
  }
}
