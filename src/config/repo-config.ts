import { z } from "zod";
import { durationSchema } from "./duration.js";
import { egressEntrySchema } from "./sandbox-settings.js";

/** A command from the repo's own config: a shell line (like a CI step) or an argv array. */
export const runSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
export type RunSpec = z.output<typeof runSchema>;

const agentNameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "agent names use a-z, 0-9, _ and -, starting with a letter");
const envNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name");

/** The built-in agents' names (src/config/agents/presets/). */
export const PRESET_NAMES = ["claude", "codex", "gemini", "copilot", "opencode", "qwen", "aider"] as const;

/** How agents report tokens, cost and errors on stdout (src/agents/parse-agent-output.ts). */
export const AGENT_OUTPUTS = ["text", "claude-json", "codex-jsonl", "gemini-json", "copilot-jsonl", "opencode-jsonl", "qwen-json"] as const;

/**
 * Files copied into the lane's HOME for the agent (operator config only): the key is the path in
 * HOME (`.codex/config.toml`), the value the file on the worker's host (`/etc/agent-race/codex.toml`).
 */
const homeFilesSchema = z
  .record(
    z.string().regex(/^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._\/-]{1,200}$/, "a path inside HOME, like .codex/config.toml"),
    z.string().regex(/^\/[^\0]{0,4095}$/, "an absolute path on the worker's host"),
  )
  .optional();

/** Keys an agent entry has whether it names a command or a preset. */
const agentCommon = {
  env: z.array(envNameSchema).default([]),
  timeout: durationSchema.optional(),
  home_files: homeFilesSchema,
};

export const agentSpecSchema = z.strictObject({
  command: z.array(z.string().min(1)).min(1),
  prompt: z.enum(["arg", "stdin", "file"]).default("stdin"),
  ...agentCommon,
  /** How the agent reports tokens, cost and errors: plain text, or one of the CLIs' JSON formats. */
  output: z.enum(AGENT_OUTPUTS).default("text"),
  /** Hosts the agent may reach from the lane sandbox (its model API); `127.0.0.1:PORT` forwards a local gateway. */
  egress: z.array(egressEntrySchema).default([]),
  /** Fixed, non-secret environment values the agent gets (a preset's endpoint and retry settings). */
  env_values: z.record(envNameSchema, z.string().max(4096)).default({}),
});
export type AgentSpec = z.output<typeof agentSpecSchema>;

/** An AgentSpec as resolved (job data carries it): the same fields, with the timeout already in ms. */
export const resolvedAgentSpecSchema = agentSpecSchema.extend({ timeout: z.number().int().positive().optional() }) satisfies z.ZodType<AgentSpec>;

/** A built-in agent with the operator's or repo's model, endpoint and extras (docs/agents.md). */
export const presetRefSchema = z.strictObject({
  /** Which preset; default: the entry's own name. */
  preset: z.enum(PRESET_NAMES).optional(),
  model: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$/, "a model name or alias").optional(),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  ...agentCommon,
  egress: z.array(egressEntrySchema).optional(),
});
export type PresetRef = z.output<typeof presetRefSchema>;

/** An entry of `agents:`: a command of its own, or a preset reference. */
export type AgentEntry = AgentSpec | PresetRef;
export const agentEntrySchema = z.unknown().transform((value, ctx): AgentEntry => {
  // An entry with `command` is a command of its own; any other is a preset reference. Choosing first
  // keeps the errors those of the one schema meant (a union would only say "invalid input").
  const commandEntry = typeof value === "object" && value !== null && "command" in value;
  const parsed = commandEntry ? agentSpecSchema.safeParse(value) : presetRefSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

const evalFormatSchema = z.string().transform((text, ctx) => {
  if (text === "exit-code" || text === "tap" || text === "json") return { kind: text } as const;
  const junit = /^junit:(.+)$/.exec(text);
  if (junit?.[1] && !junit[1].split("/").includes("..")) return { kind: "junit", path: junit[1] } as const;
  ctx.addIssue({ code: "custom", message: `expected exit-code, tap, json or junit:<path inside the repo>, got "${text}"` });
  return z.NEVER;
});
export type EvalFormat = z.output<typeof evalFormatSchema>;

export const evalSpecSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/, "eval names are 1-40 letters, digits, spaces, dots, _ or -"),
  run: runSchema,
  format: evalFormatSchema.prefault("exit-code"),
  required: z.boolean().default(true),
  weight: z.number().min(0).default(1),
  timeout: durationSchema.prefault("10m"),
  /** For `json` evals: the lowest score that still counts as passing. */
  min_score: z.number().min(0).max(1).default(0),
});
export type EvalSpec = z.output<typeof evalSpecSchema>;

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), "must be a relative path inside the repo");

export const HARD_MAX_LANES = 32;

/** A spending limit in US dollars, as agents report it. */
export const usdSchema = z.number().positive("a budget is a positive amount of US dollars");

const budgetSchema = z.strictObject({
  /** The most all lanes of one race may spend together. */
  per_race_usd: usdSchema.optional(),
  /** The most one lane's agent may spend. */
  per_lane_usd: usdSchema.optional(),
});
export type RaceBudget = z.output<typeof budgetSchema>;

export const repoConfigSchema = z
  .strictObject({
    lanes: z.int().min(1).default(3),
    max_lanes: z.int().min(1).max(HARD_MAX_LANES).default(8),
    agents: z.record(agentNameSchema, agentEntrySchema).default({}),
    default_agents: z.array(agentNameSchema).min(1).optional(),
    setup: z.array(runSchema).default([]),
    copy: z.array(relativePath).default([]),
    evals: z.array(evalSpecSchema).default([]),
    scope: z.array(z.string().min(1)).default([]),
    scope_mode: z.enum(["warn", "fail"]).default("warn"),
    ports: z.strictObject({ base: z.int().min(1024).max(65000).default(4100) }).default({ base: 4100 }),
    timeout: durationSchema.prefault("30m"),
    mode: z.enum(["best", "compare"]).default("best"),
    /** GitHub App: what to do when a lane conflicts with an open PR (docs/config.md). */
    overlap: z.enum(["warn", "penalize", "block"]).default("warn"),
    /** GitHub App: races of this repo that run at once; more wait for a free slot (docs/config.md). */
    max_concurrent_races: z.int().min(1).max(50).default(3),
    /** Cost limits, from the cost agents report (docs/config.md). */
    budget: budgetSchema.optional(),
    /** GitHub App: days a closed, unmerged generated PR keeps its branch. */
    branch_retention_days: z.int().min(0).max(365).default(7),
    /** GitHub App: lanes of this repo (all its races) that run at once across all workers; no limit when absent. */
    max_parallel_lanes: z.int().min(1).optional(),
    /** GitHub App: push lanes that did not pass their required evals too (docs/config.md#push-policy). */
    push_failed: z.boolean().default(false),
    /** Globs (picomatch, dotfiles too) a lane must not change, besides `.github/workflows/**`; such lanes are never pushed. */
    protected_paths: z.array(z.string().min(1)).default([]),
    /** GitHub App: generated pull requests open as drafts. */
    draft: z.boolean().default(true),
    /** Evals may use the network the operator allows for evals (`sandbox.egress.evals`); none otherwise. */
    evals_network: z.boolean().default(false),
  })
  .superRefine((config, ctx) => {
    if (config.lanes > config.max_lanes) {
      ctx.addIssue({ code: "custom", path: ["lanes"], message: `lanes (${config.lanes}) is more than max_lanes (${config.max_lanes})` });
    }
    // default_agents may name the server's (operator's) agents, which are not known here: checked when they are merged in.
    for (const [name, entry] of Object.entries(config.agents)) {
      if (!("command" in entry) && entry.preset === undefined && !(PRESET_NAMES as readonly string[]).includes(name)) {
        ctx.addIssue({ code: "custom", path: ["agents", name], message: `agent "${name}" needs a command, or a preset (one of ${PRESET_NAMES.join(", ")})` });
      }
    }
    for (const [name, entry] of Object.entries(config.agents)) {
      if (Object.keys(entry.home_files ?? {}).length > 0) {
        ctx.addIssue({ code: "custom", path: ["agents", name, "home_files"], message: "home_files is set in the operator's config (AGENT_RACE_CONFIG) only: a repository may not copy the worker's files into a lane" });
      }
    }
    const names = new Set<string>();
    for (const [i, spec] of config.evals.entries()) {
      if (names.has(spec.name)) ctx.addIssue({ code: "custom", path: ["evals", i, "name"], message: `duplicate eval name "${spec.name}"` });
      names.add(spec.name);
    }
  });

export type RepoConfig = z.output<typeof repoConfigSchema>;
