import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { runProcess } from "../process/run-process.js";
import { LaneCgroup } from "./lane-cgroup.js";
import { LaneSandbox } from "./lane-sandbox.js";
import { withScratchLane } from "./with-scratch-lane.js";
import type { SandboxSettings } from "../config/sandbox-settings.js";

export interface SandboxProbe {
  /** Whether lanes can run sandboxed here. */
  ok: boolean;
  /** The bwrap binary found on PATH. */
  bwrap: string | null;
  /** Where lanes get their memory and process caps, or null when no cgroup is writable. */
  caps: string | null;
  /** What is missing and how to fix it, when not ok. */
  problem: string | null;
}

const OK = "agent-race-sandbox-ok";
const DOCS = "docs/deploy.md#the-lane-sandbox";

/**
 * Starts one process inside a real lane sandbox and checks it ran there. Used at start-up by
 * `serve`, `worker` and `race`, which refuse (or, for the CLI, warn) when it fails.
 */
export async function probeSandbox(settings: SandboxSettings, scratchRoot: string): Promise<SandboxProbe> {
  const bwrap = await findBwrap();
  if (!bwrap) {
    return { ok: false, bwrap: null, caps: null, problem: `bubblewrap (bwrap) is not installed. Install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap; Alpine: apk add bubblewrap), or run unsandboxed on purpose with sandbox: none. See ${DOCS}.` };
  }
  return withScratchLane(scratchRoot, "probe-", async (lane) => {
    const sandbox = new LaneSandbox({ bwrap, settings, lane }).forPhase("evals", []);
    const result = await runProcess("/bin/sh", ["-c", `echo ${OK}`], { cwd: lane.work, env: { PATH: "/usr/bin:/bin" }, timeoutMs: 15_000, sandbox });
    const caps = await LaneCgroup.describe();
    if (result.exitCode === 0 && result.stdout.includes(OK)) return { ok: true, bwrap, caps, problem: null };
    const detail = (result.spawnError ?? result.stderr).trim().split("\n").find((line) => line.trim()) ?? `exit code ${result.exitCode}`;
    return { ok: false, bwrap, caps, problem: `the lane sandbox does not work here: ${detail.slice(0, 300)}. ${diagnose(detail)} See ${DOCS}.` };
  });
}

/** What usually blocks bubblewrap, from its error line. */
export function diagnose(line: string): string {
  if (/uid map|setting up uid|RTM_NEWADDR/i.test(line)) {
    return "Unprivileged user namespaces are restricted (Ubuntu 23.10+ and GitHub's ubuntu-24.04 runners: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0).";
  }
  if (/creating new namespace|No permissions|Operation not permitted|clone/i.test(line)) {
    return "Creating namespaces is not allowed: in Docker run with the seccomp profile and --security-opt apparmor=unconfined shown in the docs (no --privileged needed); on a host, check kernel.unprivileged_userns_clone and user.max_user_namespaces.";
  }
  if (/proc|Mount too revealing|mount/i.test(line)) {
    return "Mounting /proc is not allowed: in Docker add --security-opt systempaths=unconfined (Kubernetes: procMount: Unmasked).";
  }
  return "Check that bubblewrap can start here: bwrap --unshare-all --ro-bind / / true.";
}

/** The first executable `bwrap` on PATH (absolute entries only). */
async function findBwrap(): Promise<string | null> {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (!dir.startsWith("/")) continue;
    const path = join(dir, "bwrap");
    if (await access(path, constants.X_OK).then(() => true, () => false)) return path;
  }
  return null;
}
