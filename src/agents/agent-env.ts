/** Variables every process in a lane gets; nothing else from the worker's environment passes. */
const BASE = ["PATH", "HOME", "LANG"] as const;

/**
 * Builds a lane process's environment from an allowlist: PATH, HOME, LANG, the names the agent
 * declares (its API keys), PORT and AGENT_RACE_LANE.
 */
export function agentEnv(input: {
  source: NodeJS.ProcessEnv;
  passthrough: readonly string[];
  lane: number;
  port: number;
  extra?: Record<string, string> | undefined;
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...BASE, ...input.passthrough]) {
    const value = input.source[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  env.PORT = String(input.port);
  env.AGENT_RACE_LANE = String(input.lane);
  return { ...env, ...input.extra };
}
