import { REPO_CONFIG_PATH } from "../load-repo-config.js";
import { mergeAgentConfig } from "./merge-agent-config.js";
import type { OperatorConfig } from "../operator-config.js";
import { parseRepoConfig } from "../parse-repo-config.js";
import type { RepoConfig } from "../repo-config.js";

/** The config a server race runs with: the repo's file (or defaults) under the operator's agent rules. */
export function resolveServerConfig(configText: string | null, operator: OperatorConfig): RepoConfig {
  return mergeAgentConfig(parseRepoConfig(configText ?? "", REPO_CONFIG_PATH), operator, REPO_CONFIG_PATH);
}
