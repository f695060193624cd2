import type { SandboxSettings } from "../config/sandbox-settings.js";
import { probeSandbox, type SandboxProbe } from "./probe-sandbox.js";

/** What a lane needs to build its sandbox: the bwrap binary, the settings, and paths that stay hidden. */
export interface LaneSandboxConfig {
  bwrap: string;
  settings: SandboxSettings;
  /** Host paths never mounted, even under an operator's `read_only` entry (cache dir, key, config). */
  hidden: readonly string[];
}

export type SandboxResolution =
  | { kind: "sandboxed"; config: LaneSandboxConfig; probe: SandboxProbe }
  /** The operator's `sandbox: none` or the CLI's --no-sandbox. */
  | { kind: "off" }
  /** The sandbox was wanted but does not work here; `probe.problem` says why and how to fix it. */
  | { kind: "unavailable"; probe: SandboxProbe };

/**
 * Decides how lanes run: reads `AGENT_RACE_SANDBOX_READ_ONLY` (extra read-only paths, `:`-separated)
 * into the settings, then starts a probe inside a real sandbox. Callers decide what an unavailable
 * sandbox means: the App refuses to start, the CLI warns and runs unsandboxed.
 */
export async function resolveLaneSandbox(
  settings: SandboxSettings,
  options: { scratchRoot: string; hidden?: readonly string[] | undefined; env?: NodeJS.ProcessEnv | undefined },
): Promise<SandboxResolution> {
  if (settings.mode === "none") return { kind: "off" };
  const extra = (options.env ?? process.env).AGENT_RACE_SANDBOX_READ_ONLY?.split(":").filter((path) => path.startsWith("/") && !path.split("/").includes("..")) ?? [];
  const merged = { ...settings, read_only: [...new Set([...settings.read_only, ...extra])] };
  const probe = await probeSandbox(merged, options.scratchRoot);
  if (!probe.ok || !probe.bwrap) return { kind: "unavailable", probe };
  return { kind: "sandboxed", config: { bwrap: probe.bwrap, settings: merged, hidden: options.hidden ?? [] }, probe };
}
