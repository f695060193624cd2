import { resolveAgent } from "../config/agents/resolve-agent.js";
import type { AgentSpec, RepoConfig } from "../config/repo-config.js";
import { UserError } from "../errors.js";

export interface LanePlan {
  lane: number;
  agentName: string;
  agent: AgentSpec;
  approach: string | null;
  port: number;
}

export interface PlanRequest {
  lanes?: number | null | undefined;
  agents?: readonly string[] | undefined;
  approaches?: readonly string[] | undefined;
  /** Whether lanes run in the lane sandbox: picks the presets' permission modes. Default true. */
  sandboxed?: boolean | undefined;
}

/**
 * Decides how many lanes run, which agent fills each (named agents, else the config's
 * `default_agents`, cycling) and which approach hint each gets (one per lane, in order).
 */
export function planLanes(config: RepoConfig, request: PlanRequest): LanePlan[] {
  const agents = request.agents?.length ? [...request.agents] : defaultAgents(config);
  const approaches = request.approaches ?? [];
  const named = Math.max(request.agents?.length ?? 0, approaches.length);
  const count = request.lanes ?? (named > 0 ? named : config.lanes);
  if (!Number.isInteger(count) || count < 1) throw new UserError(`lanes must be a whole number of at least 1, got ${count}`);
  if (count > config.max_lanes) throw new UserError(`${count} lanes is more than max_lanes (${config.max_lanes})`);
  if (approaches.length > count) throw new UserError(`${approaches.length} approaches were given for ${count} lanes; give at most one approach per lane`);
  return Array.from({ length: count }, (_, i) => {
    const agentName = agents[i % agents.length] as string;
    return {
      lane: i + 1,
      agentName,
      agent: resolveAgent(config, agentName, { sandboxed: request.sandboxed }),
      approach: approaches[i] ?? null,
      port: config.ports.base + i + 1,
    };
  });
}

/** `default_agents`, else every agent the config defines, else Claude Code. */
export function defaultAgents(config: RepoConfig): string[] {
  if (config.default_agents?.length) return config.default_agents;
  const own = Object.keys(config.agents);
  return own.length > 0 ? own : ["claude"];
}
