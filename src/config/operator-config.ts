import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { parseConfigWith } from "./parse-repo-config.js";
import { agentEntrySchema, usdSchema } from "./repo-config.js";
import { sandboxSettingsSchema } from "./sandbox-settings.js";

const botLogin = z.string().regex(/^[A-Za-z0-9-]+\[bot\]$/, "bots are listed by login, e.g. renovate[bot]");

/** The operator's config (`AGENT_RACE_CONFIG`): which agent commands this server may run. */
export const operatorConfigSchema = z.strictObject({
  agents: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/), agentEntrySchema).default({}),
  /** Agents that fill lanes when a repo names none (default: the operator's agents, else claude). */
  default_agents: z.array(z.string()).min(1).optional(),
  /** Whether built-in presets (claude, codex, gemini, copilot, opencode, qwen, aider) may run when not listed in `agents`. */
  allow_presets: z.boolean().default(true),
  /** Whether a repo's `.github/agent-race.yml` may define new agent commands. */
  allow_repo_agents: z.boolean().default(false),
  /** Bot and App logins that may trigger races (their permission is not checked). */
  allowed_bots: z.array(botLogin).default([]),
  /** Lanes of one installation (all its repos) that run at once across all workers; no limit when absent. */
  max_parallel_lanes_per_installation: z.int().min(1).optional(),
  /** What all races of one installation may spend per UTC day, from the cost agents report. */
  budget: z.strictObject({ per_installation_usd_per_day: usdSchema.optional() }).default({}),
  /** The lane sandbox every lane process runs in (docs/security.md). */
  sandbox: sandboxSettingsSchema.prefault({}),
});

export type OperatorConfig = z.output<typeof operatorConfigSchema>;

export async function loadOperatorConfig(path: string | undefined): Promise<OperatorConfig> {
  if (!path) return operatorConfigSchema.parse({});
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(path, `cannot read the operator config (AGENT_RACE_CONFIG): ${(error as Error).message}`, { cause: error });
  }
  return parseConfigWith(operatorConfigSchema, text, path);
}
