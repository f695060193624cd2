import { UserError } from "../errors.js";
import { AGENT_PRESETS } from "./agent-presets.js";
import type { AgentSpec, RepoConfig } from "./repo-config.js";

/** Finds an agent by name: the config's own agents first, then the built-in presets. */
export function resolveAgent(config: RepoConfig, name: string): AgentSpec {
  const spec = config.agents[name] ?? AGENT_PRESETS[name];
  if (!spec) throw new UserError(`unknown agent "${name}"; known agents: ${knownAgents(config).join(", ")}`);
  return spec;
}

export function knownAgents(config: RepoConfig): string[] {
  return [...new Set([...Object.keys(config.agents), ...Object.keys(AGENT_PRESETS)])];
}
