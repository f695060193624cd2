import { isAbsolute } from "node:path";
import { z } from "zod";

/** An egress allowlist entry: `host`, `host:port`, `*.domain`, or an IP literal with a port. */
export const egressEntrySchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/, "expected host, host:port, *.domain or [ipv6]:port");

const absolutePath = z.string().refine((p) => isAbsolute(p) && !p.split("/").includes(".."), "must be an absolute path without ..");

/**
 * The operator's `sandbox:` section (AGENT_RACE_CONFIG; docs/security.md). Every process a lane starts
 * (setup, agent, evals) runs inside bubblewrap with these settings unless `mode: none`.
 */
export const sandboxSettingsSchema = z.strictObject({
  /** `bwrap` (the default) or `none`: lanes run unsandboxed with the worker's privileges. */
  mode: z.enum(["bwrap", "none"]).default("bwrap"),
  /** Extra host paths the lane may read (agent CLIs installed outside /usr, toolchains). */
  read_only: z.array(absolutePath).default([]),
  /** Memory cap per lane process tree, in MB (cgroup; enforced where a cgroup is writable). */
  memory_mb: z.int().min(64).default(4096),
  /** Process cap per lane process tree (cgroup pids controller). */
  pids: z.int().min(16).default(512),
  /** A lane does not start when the disk holding the worktrees has less free space than this, in MB. */
  min_free_disk_mb: z.int().min(0).default(1024),
  /** Hosts reachable through the egress proxy, per phase; the agent's come from its own `egress`. */
  egress: z
    .strictObject({
      setup: z.array(egressEntrySchema).default([]),
      /** Only used for repos whose config sets `evals_network: true`. */
      evals: z.array(egressEntrySchema).default([]),
    })
    .prefault({}),
});

export type SandboxSettings = z.output<typeof sandboxSettingsSchema>;

export const DEFAULT_SANDBOX_SETTINGS: SandboxSettings = sandboxSettingsSchema.parse({});
