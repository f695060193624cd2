import { resolveAgent } from "../../config/agents/resolve-agent.js";
import type { OperatorConfig } from "../../config/operator-config.js";
import type { AgentSpec, RepoConfig } from "../../config/repo-config.js";

/**
 * A lane's agent, resolved once when the race is planned: the workers run exactly this spec. It is
 * resolved for a sandboxed lane unless the operator turned the sandbox off (the presets' permission
 * modes depend on it), and says which, so a worker can refuse a mismatch.
 */
export function planAgent(config: RepoConfig, agent: string, operator: OperatorConfig): { spec: AgentSpec; sandboxed: boolean } {
  const sandboxed = lanesSandboxed(operator);
  return { spec: resolveAgent(config, agent, { sandboxed }), sandboxed };
}

/** Whether this server's lanes run in the lane sandbox. */
export function lanesSandboxed(operator: OperatorConfig): boolean {
  return operator.sandbox.mode !== "none";
}
