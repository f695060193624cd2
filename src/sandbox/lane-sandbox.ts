import { lstatSync, readlinkSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import type { ProcessSandbox, SandboxCommand, WrappedCommand } from "../process/process-sandbox.js";
import { buildBwrapArgs, RUN_DIR_INSIDE, WORK_INSIDE, type BwrapPlan } from "./build-bwrap-args.js";
import type { EgressProxy } from "./egress-proxy.js";
import { LaneCgroup } from "./lane-cgroup.js";
import { laneEntryPath } from "./lane-entry-path.js";
import { toolMounts } from "./tool-mounts.js";
import type { SandboxSettings } from "../config/sandbox-settings.js";

/** The lane's directories, as the lane checkout lays them out (src/git/lane-checkout.ts). */
export interface SandboxLaneDirs {
  /** The lane directory itself; never mounted (the app's index and the sandbox's own files live here). */
  dir: string;
  work: string;
  home: string;
  tmp: string;
  /** The repository's object store, which the lane's own git borrows read-only. */
  objectsDir: string;
}

export interface LaneSandboxOptions {
  bwrap: string;
  settings: SandboxSettings;
  lane: SandboxLaneDirs;
  /** Host paths that must stay invisible even when an operator's `read_only` entry contains them. */
  hidden?: readonly string[] | undefined;
  /** Called with each refused egress attempt (`host:port`), e.g. for the lane log. */
  onDenied?: ((what: string) => void) | undefined;
}

export type SandboxPhase = "setup" | "agent" | "evals";

const HOME_INSIDE = "/home/agent";
/** `dist/` of this package, however it is run (from dist/ or, under vitest, from src/). */
const DIST_DIR = dirname(dirname(laneEntryPath()));
const UID = 1000;
const PROXY_PORT = 3128;
/** System directories bound read-only (or recreated as the merged-/usr symlinks they are). */
const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/** The parts of /etc that programs need; the rest (shadow, ssh, the operator's files) stays out. */
const ETC_FILES = [
  "/etc/alternatives", "/etc/ssl", "/etc/ca-certificates", "/etc/ca-certificates.conf", "/etc/ld.so.cache", "/etc/ld.so.conf",
  "/etc/ld.so.conf.d", "/etc/localtime", "/etc/timezone", "/etc/nsswitch.conf", "/etc/mime.types", "/etc/protocols", "/etc/services",
  "/etc/os-release", "/etc/debian_version", "/etc/gai.conf", "/etc/host.conf", "/etc/inputrc", "/etc/mailcap", "/etc/magic",
];

/**
 * The sandbox of one lane: for each phase a `ProcessSandbox` that runs the process in bubblewrap, where
 * it can write only the worktree, the lane's HOME and /tmp, read the system and the object store, see
 * only its own processes, reach the network only through the phase's egress allowlist, and is capped
 * in memory and processes by a cgroup where one can be made.
 */
export class LaneSandbox {
  private prepared: Promise<void> | undefined;
  private runs = 0;

  constructor(private readonly options: LaneSandboxOptions) {}

  /** The sandbox for one phase; `egress` is the allowlist (empty: no network at all). */
  forPhase(phase: SandboxPhase, egress: readonly string[]): ProcessSandbox {
    return { wrap: (command) => this.wrap(phase, egress, command) };
  }

  private async wrap(phase: SandboxPhase, egress: readonly string[], command: SandboxCommand): Promise<WrappedCommand> {
    const { lane, settings } = this.options;
    const sandboxDir = join(lane.dir, "sandbox");
    this.prepared ??= prepareFiles(sandboxDir);
    await this.prepared;

    let proxy: EgressProxy | null = null;
    let runDir: string | null = null;
    let env: Record<string, string> = { ...command.env, HOME: HOME_INSIDE, USER: "agent", LOGNAME: "agent", TMPDIR: "/tmp" };
    // agent-race's own compiled code (the lane entry, the demo's agents): code, never config or keys.
    const readOnly = [...ETC_FILES, lane.objectsDir, DIST_DIR, ...this.extraReadOnly()];
    // The command's install root (an agent CLI under a user prefix, nvm's Node), read-only.
    const tool = await toolMounts(command.file, { cwd: command.cwd, pathEnv: command.env.PATH, visible: [...SYSTEM_DIRS, ...readOnly] });
    readOnly.push(...this.safeMounts(tool.mounts));
    let argv = [tool.file, ...command.args];
    if (tool.path.length > 0) env.PATH = [...tool.path, env.PATH ?? ""].join(":");
    if (egress.length > 0) {
      runDir = join(sandboxDir, `run-${phase}-${++this.runs}`);
      await mkdir(runDir, { recursive: true, mode: 0o700 });
      const forwards = loopbackPorts(egress).map((port) => ({ port, socketPath: join(runDir as string, `fwd-${port}.sock`) }));
      // Loaded only for phases with network: most evals and setups have none.
      const [{ EgressProxy: Proxy }, { egressEnv }] = await Promise.all([import("./egress-proxy.js"), import("./egress-env.js")]);
      proxy = await Proxy.start({ socketPath: join(runDir, "proxy.sock"), allow: egress, forwards, onDenied: this.options.onDenied });
      const entry = laneEntryPath();
      readOnly.push(process.execPath);
      const bridges = [
        ["--bridge", `127.0.0.1:${PROXY_PORT}=${RUN_DIR_INSIDE}/proxy.sock`],
        ...forwards.map((f) => ["--bridge", `127.0.0.1:${f.port}=${RUN_DIR_INSIDE}/fwd-${f.port}.sock`]),
      ].flat();
      argv = [process.execPath, entry, ...bridges, "--", ...argv];
      env = { ...env, ...egressEnv({ proxyPort: PROXY_PORT, noProxy: [] }) };
    }
    env.PATH = visiblePath(env.PATH, readOnly);

    const cgroup = await LaneCgroup.create({ memoryMb: settings.memory_mb, pids: settings.pids });
    const plan: BwrapPlan = {
      system: systemDirs(),
      readOnly,
      writable: [{ source: lane.work, target: WORK_INSIDE }],
      home: lane.home,
      homeInside: HOME_INSIDE,
      tmp: lane.tmp,
      files: [
        { source: join(sandboxDir, "passwd"), target: "/etc/passwd" },
        { source: join(sandboxDir, "group"), target: "/etc/group" },
        { source: join(sandboxDir, "hosts"), target: "/etc/hosts" },
      ],
      runDir,
      cwd: insidePath(lane, command.cwd),
      uid: UID,
      gid: UID,
      blockFd: cgroup ? 3 : null,
      infoFd: cgroup ? 4 : null,
    };
    return {
      file: this.options.bwrap,
      args: buildBwrapArgs(plan, argv),
      // bwrap's own environment is readable inside (its init process is pid 1): it gets the lane's, nothing more.
      env,
      cwd: command.cwd,
      extraPipes: cgroup ? 2 : 0,
      started: async (pid, pipes) => {
        if (!cgroup) return;
        // Listen before anything else: the pipe flows as soon as it is spawned.
        const childPid = readChildPid(pipes[1] as NodeJS.ReadWriteStream);
        await cgroup.add(pid);
        await cgroup.add(await childPid);
        (pipes[0] as NodeJS.ReadWriteStream).end("x");
      },
      finish: async () => {
        const notes: string[] = [];
        const denied = [...new Set(proxy?.denied ?? [])];
        if (denied.length > 0) notes.push(`network access refused by the sandbox: ${denied.slice(0, 5).join(", ")}${denied.length > 5 ? ` and ${denied.length - 5} more` : ""}`);
        await proxy?.close();
        const limit = cgroup ? await cgroup.limitHit() : null;
        await cgroup?.destroy();
        return { limit, notes };
      },
    };
  }

  /** The operator's `read_only` paths, less any that would expose a hidden path (HOME, caches, keys). */
  private extraReadOnly(): string[] {
    const hidden = this.hiddenPaths();
    return this.options.settings.read_only.filter((path) => !hidden.some((h) => isWithin(h, resolve(path))));
  }

  /** Tool install roots, less any that would expose a hidden path or lie in the lanes' own directories or caches. */
  private safeMounts(paths: readonly string[]): string[] {
    const hidden = this.hiddenPaths();
    const inside = [dirname(this.options.lane.dir), ...(this.options.hidden ?? [])].map((p) => resolve(p));
    return paths.filter((path) => !hidden.some((h) => isWithin(h, resolve(path))) && !inside.some((h) => isWithin(resolve(path), h)));
  }

  private hiddenPaths(): string[] {
    return [homedir(), process.env.HOME ?? "", dirname(this.options.lane.dir), ...(this.options.hidden ?? [])].filter(Boolean).map((p) => resolve(p));
  }
}

/** Where a host path of the lane (worktree, HOME, temp dir) appears inside the sandbox. */
export function insidePath(lane: Pick<SandboxLaneDirs, "work" | "home" | "tmp">, hostPath: string): string {
  const path = resolve(hostPath);
  for (const [host, inside] of [[lane.work, WORK_INSIDE], [lane.home, HOME_INSIDE], [lane.tmp, "/tmp"]] as const) {
    const root = resolve(host);
    if (isWithin(path, root)) return inside + path.slice(root.length);
  }
  return path;
}

/** True when `inner` is `outer` or below it. */
function isWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

let system: BwrapPlan["system"] | undefined;
function systemDirs(): BwrapPlan["system"] {
  system ??= SYSTEM_DIRS.flatMap((path): BwrapPlan["system"] => {
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) return [{ path, symlinkTo: readlinkSync(path) }];
      return stat.isDirectory() ? [{ path, symlinkTo: null }] : [];
    } catch {
      return [];
    }
  });
  return system;
}

/** The PATH entries the sandbox can see (system dirs and read-only mounts), in their order. */
function visiblePath(path: string | undefined, readOnly: readonly string[]): string {
  const roots = [...SYSTEM_DIRS, ...readOnly];
  const entries = (path ?? "").split(":").filter((entry) => entry.startsWith("/") && roots.some((root) => isWithin(entry, root)));
  return entries.length > 0 ? [...new Set(entries)].join(":") : "/usr/local/bin:/usr/bin:/bin";
}

/** The ports of `127.0.0.1:PORT` / `localhost:PORT` entries: forwarded to the host's loopback as they are. */
function loopbackPorts(egress: readonly string[]): number[] {
  return [...new Set(egress.flatMap((entry) => {
    const match = /^(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)$/i.exec(entry);
    return match ? [Number(match[1])] : [];
  }))];
}

async function prepareFiles(sandboxDir: string): Promise<void> {
  await mkdir(sandboxDir, { recursive: true, mode: 0o700 });
  await writeFile(join(sandboxDir, "passwd"), `agent:x:${UID}:${UID}:agent-race lane:${HOME_INSIDE}:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`);
  await writeFile(join(sandboxDir, "group"), `agent:x:${UID}:\nnogroup:x:65534:\n`);
  await writeFile(join(sandboxDir, "hosts"), "127.0.0.1 localhost lane\n::1 localhost ip6-localhost\n");
}

/** Reads bwrap's `--info-fd` JSON until it names the sandbox's first process. */
function readChildPid(stream: NodeJS.ReadWriteStream): Promise<number> {
  return new Promise((resolvePid, reject) => {
    let text = "";
    const timer = setTimeout(() => done(new Error("bubblewrap did not report its child within 10 s")), 10_000);
    const done = (error: Error | null, pid?: number): void => {
      clearTimeout(timer);
      stream.removeAllListeners("data");
      stream.removeAllListeners("end");
      if (error) reject(error);
      else resolvePid(pid as number);
    };
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (match) done(null, Number(match[1]));
    });
    stream.on("end", () => done(new Error(`bubblewrap exited before it started the sandbox${text ? `: ${text.slice(0, 200)}` : ""}`)));
  });
}
