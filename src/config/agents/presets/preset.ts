import type { AgentSpec } from "../../repo-config.js";

/** What a preset is built for: the lane's sandbox, and the operator's or repo's model and endpoint. */
export interface PresetInput {
  /** Whether the lane runs in agent-race's sandbox: picks the CLI's permission and sandbox modes. */
  sandboxed: boolean;
  /** The agent's `model:` (a name or alias the CLI takes), or none: the CLI's default. */
  model?: string | undefined;
  /** The agent's `base_url:` (a gateway, a proxy, a local model server), or none: the CLI's default API. */
  baseUrl?: string | undefined;
}

/** One built-in agent: a real CLI's non-interactive invocation, built for a lane. */
export interface Preset {
  /** The preset's name (`claude`, `codex`, …), also the agent name it is offered under. */
  name: string;
  /** The npm package (or PyPI project) of the CLI, and its binary. */
  package: string;
  bin: string;
  build(input: PresetInput): AgentSpec;
}

/**
 * The egress allowlist of a preset: its default API hosts, or, with a `base_url`, just that URL's
 * host and port (a loopback URL becomes a `127.0.0.1:PORT` forward of the host's port).
 */
export function presetEgress(defaults: readonly string[], baseUrl: string | undefined): string[] {
  if (!baseUrl) return [...defaults];
  const url = new URL(baseUrl);
  const port = url.port || (url.protocol === "http:" ? "80" : "443");
  const host = url.hostname === "localhost" ? "127.0.0.1" : url.hostname;
  return [`${host}:${port}`];
}

/** The fields every preset's spec starts from. */
export const SPEC_DEFAULTS = { env_values: {} } as const;
