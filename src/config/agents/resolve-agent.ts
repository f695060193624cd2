import { UserError } from "../../errors.js";
import { AGENT_PRESETS, expandAgent, PRESETS } from "./agent-presets.js";
import type { AgentSpec, PresetRef, RepoConfig } from "../repo-config.js";

export interface ResolveAgentOptions {
  /** Whether the lane runs in the lane sandbox: picks the presets' permission modes (agent-presets.ts). Default true. */
  sandboxed?: boolean | undefined;
}

/** Finds an agent by name: the config's own agents first, then the built-in presets for a sandboxed or unsandboxed lane. */
export function resolveAgent(config: RepoConfig, name: string, options: ResolveAgentOptions = {}): AgentSpec {
  const entry = config.agents[name] ?? (PRESETS[name] ? { preset: PRESETS[name].name as PresetRef["preset"], env: [] } : undefined);
  if (!entry) throw new UserError(`unknown agent "${name}"; known agents: ${knownAgents(config).join(", ")}`);
  try {
    return expandAgent(name, entry, { sandboxed: options.sandboxed ?? true });
  } catch (error) {
    // A preset that cannot be built from the entry (opencode with a base_url but no model): the config's fault.
    throw new UserError(error instanceof Error ? error.message : String(error));
  }
}

export function knownAgents(config: RepoConfig): string[] {
  return [...new Set([...Object.keys(config.agents), ...Object.keys(AGENT_PRESETS)])];
}
