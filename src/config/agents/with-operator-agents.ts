import type { OperatorConfig } from "../operator-config.js";
import type { RepoConfig } from "../repo-config.js";

/**
 * The local CLI's agents: your own from `AGENT_RACE_CONFIG` (with their `home_files`) under the
 * repo config's, which win on a name clash. (The App merges with the operator's rules instead:
 * `merge-agent-config.ts`.)
 */
export function withOperatorAgents(repo: RepoConfig, operator: OperatorConfig): RepoConfig {
  return { ...repo, agents: { ...operator.agents, ...repo.agents } };
}
