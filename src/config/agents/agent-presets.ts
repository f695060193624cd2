import type { AgentEntry, AgentSpec } from "../repo-config.js";
import { aiderPreset } from "./presets/aider.js";
import { claudePreset } from "./presets/claude.js";
import { codexPreset } from "./presets/codex.js";
import { copilotPreset } from "./presets/copilot.js";
import { geminiPreset } from "./presets/gemini.js";
import { opencodePreset } from "./presets/opencode.js";
import { qwenPreset } from "./presets/qwen.js";
import type { Preset } from "./presets/preset.js";

/**
 * The built-in agents, each with its CLI's real non-interactive invocation (docs/agents.md), checked
 * against `claude --help` of @anthropic-ai/claude-code 2.1.197 and `codex exec --help` of
 * @openai/codex 0.171.0. The prompt goes in on stdin or in a file outside the worktree, never on a
 * shell line.
 */
export const PRESETS: Readonly<Record<string, Preset>> = Object.fromEntries([claudePreset, codexPreset, geminiPreset, copilotPreset, opencodePreset, qwenPreset, aiderPreset].map((preset) => [preset.name, preset]));

export interface PresetOptions {
  /**
   * Whether the lane runs in agent-race's sandbox (bubblewrap; docs/security.md). Inside it the
   * agent's own permission prompts and sandbox are off: the lane sandbox is the boundary, and an
   * agent's own sandbox cannot nest in it (user namespaces are disabled inside). Outside it
   * (`--no-sandbox`, `sandbox: none`) the agent's own guard rails stay on.
   */
  sandboxed: boolean;
}

/** Every preset with its defaults (no model, no base URL). */
export function agentPresets(options: PresetOptions): Record<string, AgentSpec> {
  return Object.fromEntries(Object.values(PRESETS).map((preset) => [preset.name, preset.build({ sandboxed: options.sandboxed })]));
}

/** The presets of a sandboxed lane (the default); their names are the built-in agents' names. */
export const AGENT_PRESETS: Readonly<Record<string, AgentSpec>> = agentPresets({ sandboxed: true });

/**
 * An agent entry as the lane runs it. A full spec (with `command`) is itself. A preset reference
 * (`preset: codex`, or an entry named after a preset without `command`) is that preset built with
 * its `model` and `base_url`, then the entry's own `env`, `timeout` and `egress` on top.
 */
export function expandAgent(name: string, entry: AgentEntry, options: PresetOptions): AgentSpec {
  if ("command" in entry) return entry;
  const presetName = entry.preset ?? name;
  const preset = PRESETS[presetName];
  if (!preset) throw new Error(`agent "${name}" names no command and no preset (presets: ${Object.keys(PRESETS).join(", ")})`);
  const built = preset.build({ sandboxed: options.sandboxed, model: entry.model, baseUrl: entry.base_url });
  return {
    ...built,
    env: [...new Set([...built.env, ...entry.env])],
    // The operator's files on top of the preset's own (Gemini's settings.json for a base_url).
    ...(entry.home_files ? { home_files: { ...built.home_files, ...entry.home_files } } : {}),
    ...(entry.timeout !== undefined ? { timeout: entry.timeout } : {}),
    egress: entry.egress ?? built.egress,
  };
}
