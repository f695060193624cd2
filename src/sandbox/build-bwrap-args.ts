/** What one sandboxed process may see. Read-only paths appear at their host path; `cwd` is a path inside. */
export interface BwrapPlan {
  /** Host system directories: a directory is bound read-only, a symlink (merged /usr) is recreated. */
  system: readonly { path: string; symlinkTo: string | null }[];
  /** Extra read-only host paths (selected /etc files, object store, agent installs, operator extras). */
  readOnly: readonly string[];
  /** Read-write lane paths (the worktree), each at its own place inside. */
  writable: readonly { source: string; target: string }[];
  /** The lane's HOME, mounted at `homeInside`. */
  home: string;
  homeInside: string;
  /** The lane's temp dir, mounted at /tmp. */
  tmp: string;
  /** Generated files bound read-only over system paths, e.g. /etc/passwd, /etc/hosts. */
  files: readonly { source: string; target: string }[];
  /** Host dir with the egress sockets, mounted read-only at /run/agent-race (absent: no egress). */
  runDir: string | null;
  cwd: string;
  uid: number;
  gid: number;
  /** fd numbers bwrap reports its child's pid on and blocks on until the cgroup is set up. */
  infoFd: number | null;
  blockFd: number | null;
}

export const RUN_DIR_INSIDE = "/run/agent-race";
/** Where the worktree appears inside: on the read-only root, so `../anything` cannot be written. */
export const WORK_INSIDE = "/workspace";

/**
 * The bubblewrap argv for one lane process (pure; table-tested). Every namespace is new (user, pid, net,
 * ipc, uts, cgroup), nested user namespaces are refused, the process cannot outlive bwrap or its
 * parent, capabilities are dropped, and the root is a read-only tmpfs holding only what the plan names.
 */
export function buildBwrapArgs(plan: BwrapPlan, command: readonly string[]): string[] {
  const args = [
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    "--cap-drop", "ALL",
    "--uid", String(plan.uid),
    "--gid", String(plan.gid),
    "--hostname", "lane",
  ];
  for (const entry of plan.system) {
    if (entry.symlinkTo !== null) args.push("--symlink", entry.symlinkTo, entry.path);
    else args.push("--ro-bind", entry.path, entry.path);
  }
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/run");
  // /tmp and HOME first: read-only and writable paths below them are mounted on top, in that order.
  args.push("--bind", plan.tmp, "/tmp");
  args.push("--bind", plan.home, plan.homeInside);
  for (const path of plan.readOnly) args.push("--ro-bind-try", path, path);
  for (const mount of plan.writable) args.push("--bind", mount.source, mount.target);
  for (const file of plan.files) args.push("--ro-bind", file.source, file.target);
  if (plan.runDir !== null) args.push("--ro-bind", plan.runDir, RUN_DIR_INSIDE);
  args.push("--remount-ro", "/", "--chdir", plan.cwd);
  if (plan.infoFd !== null) args.push("--info-fd", String(plan.infoFd));
  if (plan.blockFd !== null) args.push("--block-fd", String(plan.blockFd));
  args.push("--", ...command);
  return args;
}
