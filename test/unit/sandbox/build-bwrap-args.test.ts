import { describe, expect, it } from "vitest";
import { buildBwrapArgs, type BwrapPlan } from "../../../src/sandbox/build-bwrap-args.js";

const plan: BwrapPlan = {
  system: [{ path: "/usr", symlinkTo: null }, { path: "/bin", symlinkTo: "usr/bin" }],
  readOnly: ["/etc/ssl", "/repo/.git/objects"],
  writable: [{ source: "/lanes/r1/lane-1/work", target: "/workspace" }],
  home: "/lanes/r1/lane-1/home",
  homeInside: "/home/agent",
  tmp: "/lanes/r1/lane-1/tmp",
  files: [{ source: "/lanes/r1/lane-1/sandbox/passwd", target: "/etc/passwd" }],
  runDir: null,
  cwd: "/workspace",
  uid: 1000,
  gid: 1000,
  infoFd: null,
  blockFd: null,
};

/** The value following each occurrence of `flag`, as [flag, a, b] triples for two-argument flags. */
const pairs = (args: string[], flag: string): [string, string][] =>
  args.flatMap((a, i) => (a === flag ? [[args[i + 1] as string, args[i + 2] as string] as [string, string]] : []));

describe("buildBwrapArgs", () => {
  const args = buildBwrapArgs(plan, ["node", "agent.mjs", "--flag"]);

  it("makes every namespace new, refuses nested user namespaces, and ties the sandbox to its parent", () => {
    for (const flag of ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session"]) expect(args).toContain(flag);
    expect(args.slice(args.indexOf("--cap-drop"), args.indexOf("--cap-drop") + 2)).toEqual(["--cap-drop", "ALL"]);
    expect(args.slice(args.indexOf("--uid"), args.indexOf("--uid") + 2)).toEqual(["--uid", "1000"]);
  });

  it("ends with -- and the command, untouched", () => {
    expect(args.slice(-4)).toEqual(["--", "node", "agent.mjs", "--flag"]);
  });

  it("binds system dirs read-only and recreates merged-/usr symlinks", () => {
    expect(pairs(args, "--ro-bind")).toContainEqual(["/usr", "/usr"]);
    expect(pairs(args, "--symlink")).toContainEqual(["usr/bin", "/bin"]);
  });

  it("mounts only the worktree read-write (at /workspace), HOME and /tmp from the lane", () => {
    expect(pairs(args, "--bind")).toEqual([
      ["/lanes/r1/lane-1/tmp", "/tmp"],
      ["/lanes/r1/lane-1/home", "/home/agent"],
      ["/lanes/r1/lane-1/work", "/workspace"],
    ]);
    expect(pairs(args, "--ro-bind-try")).toEqual([["/etc/ssl", "/etc/ssl"], ["/repo/.git/objects", "/repo/.git/objects"]]);
  });

  it("mounts read-only paths after /tmp and HOME, and the worktree after them, so none is hidden by an earlier mount", () => {
    const tmp = args.indexOf("/tmp");
    const objects = args.indexOf("/repo/.git/objects");
    const work = args.lastIndexOf("/workspace");
    expect(tmp).toBeLessThan(objects);
    expect(objects).toBeLessThan(work);
  });

  it("remounts the root read-only after every mount and starts in the worktree", () => {
    const remount = args.indexOf("--remount-ro");
    expect(args[remount + 1]).toBe("/");
    expect(remount).toBeGreaterThan(args.lastIndexOf("--bind"));
    expect(args.slice(args.indexOf("--chdir"), args.indexOf("--chdir") + 2)).toEqual(["--chdir", "/workspace"]);
  });

  it("has fresh /proc and /dev, no host /proc, no /sys", () => {
    expect(pairs(args, "--proc").map((p) => p[0])).toEqual(["/proc"]);
    expect(args).not.toContain("/sys");
    expect(pairs(args, "--ro-bind").some(([source]) => source === "/proc" || source === "/")).toBe(false);
  });

  it("adds the egress socket dir and the cgroup hand-shake fds only when asked", () => {
    expect(args).not.toContain("--info-fd");
    expect(args).not.toContain("/run/agent-race");
    const withAll = buildBwrapArgs({ ...plan, runDir: "/lanes/r1/lane-1/sandbox/run-agent-1", infoFd: 4, blockFd: 3 }, ["true"]);
    expect(pairs(withAll, "--ro-bind")).toContainEqual(["/lanes/r1/lane-1/sandbox/run-agent-1", "/run/agent-race"]);
    expect(withAll.slice(withAll.indexOf("--info-fd"), withAll.indexOf("--info-fd") + 2)).toEqual(["--info-fd", "4"]);
    expect(withAll.slice(withAll.indexOf("--block-fd"), withAll.indexOf("--block-fd") + 2)).toEqual(["--block-fd", "3"]);
  });
});
