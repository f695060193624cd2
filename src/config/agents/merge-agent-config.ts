import { ConfigError } from "../../errors.js";
import { agentPresets, expandAgent } from "./agent-presets.js";
import type { OperatorConfig } from "../operator-config.js";
import type { RepoConfig } from "../repo-config.js";

/**
 * Applies the operator's rules to a repo config on the server: agent commands come from the
 * operator's config (and the presets, if allowed); a repo may add its own commands only with
 * `allow_repo_agents: true`. Returns the config with the agents the server will actually run.
 * The presets are those of a sandboxed lane unless the operator runs lanes with `sandbox: none`
 * (or `sandboxed` says otherwise).
 */
export function mergeAgentConfig(repo: RepoConfig, operator: OperatorConfig, file: string, options: { sandboxed?: boolean | undefined } = {}): RepoConfig {
  const repoAgents = Object.keys(repo.agents);
  if (repoAgents.length > 0 && !operator.allow_repo_agents) {
    throw new ConfigError(file, `this server does not allow repositories to define agent commands (agents: ${repoAgents.join(", ")}); use the agents the operator provides`);
  }
  const sandboxed = options.sandboxed ?? operator.sandbox.mode !== "none";
  // Preset references (a model, a gateway) become the commands they stand for, built for this lane mode.
  const expand = (entries: RepoConfig["agents"]) =>
    Object.fromEntries(Object.entries(entries).map(([name, entry]) => {
      try {
        return [name, expandAgent(name, entry, { sandboxed })];
      } catch (error) {
        throw new ConfigError(file, error instanceof Error ? error.message : String(error));
      }
    }));
  const trusted = { ...(operator.allow_presets ? agentPresets({ sandboxed }) : {}), ...expand(operator.agents) };
  // A repo-defined agent may only receive environment variables the operator already hands to its own agents.
  const allowedEnv = new Set(Object.values(trusted).flatMap((agent) => agent.env));
  for (const [name, agent] of Object.entries(repo.agents)) {
    const denied = agent.env.filter((variable) => !allowedEnv.has(variable));
    if (denied.length > 0) throw new ConfigError(file, `agent "${name}" asks for ${denied.join(", ")}, which this server does not pass to agents`);
  }
  const agents = { ...trusted, ...expand(repo.agents) };
  const defaults =
    repo.default_agents ??
    (repoAgents.length > 0 ? repoAgents : operator.default_agents ?? (Object.keys(operator.agents).length > 0 ? Object.keys(operator.agents) : ["claude"]));
  const unknown = defaults.filter((name) => !agents[name]);
  if (unknown.length > 0) {
    throw new ConfigError(file, `unknown agent ${unknown.map((n) => `"${n}"`).join(", ")} in default_agents; this server offers: ${Object.keys(agents).join(", ")}`);
  }
  return { ...repo, agents, default_agents: defaults };
}
