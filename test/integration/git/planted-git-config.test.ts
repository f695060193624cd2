import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLaneCheckout, type LaneCheckout } from "../../../src/git/lane-checkout.js";
import { snapshotLane } from "../../../src/git/snapshot-lane.js";
import { pushBranch } from "../../../src/git/push-branch.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

/**
 * An agent owns its lane's `work/.git`: whatever it plants there (config, hooks, a `.git` file pointing
 * elsewhere) must never run when the app snapshots the lane and pushes its branch from the mirror.
 * Every plant is first shown to be live (the agent's own git in the lane runs it), then the app's steps
 * run and the plant's marker must stay absent, the push must land in the real remote, and the mirror's
 * config must not change by a byte.
 */
const BRANCH = "agent-race/t-1/1-codex";

let origin: TempRepo;
let root: string;
let mirror: string;
let remote: string;
let trap: string;
let checkout: LaneCheckout;
let base: string;

beforeEach(async () => {
  origin = await createTempRepo({ "README.md": "# test\n", "src/a.ts": "export const a = 1;\n" });
  root = await mkdtemp(join(tmpdir(), "agent-race-planted-"));
  mirror = join(root, "mirror.git");
  remote = join(root, "remote.git");
  trap = join(root, "trap.git");
  await execa("git", ["clone", "-q", "--bare", origin.dir, mirror]);
  await execa("git", ["config", "core.hooksPath", "/dev/null"], { cwd: mirror });
  for (const bare of [remote, trap]) await execa("git", ["init", "-q", "--bare", bare]);
  base = (await execa("git", ["rev-parse", "HEAD"], { cwd: mirror })).stdout;
  ({ checkout } = await createLaneCheckout({ repoDir: mirror, dir: join(root, "lanes", "lane-1"), branch: BRANCH, baseSha: base }));
});
afterEach(async () => {
  await origin.cleanup();
  await rm(root, { recursive: true, force: true });
});

const marker = (name: string): string => join(root, `ran-${name}`);
const dotGit = (): string => join(checkout.work, ".git");

/** A script that leaves `marker(name)`; as a clean filter it passes its stdin through. */
async function script(name: string, filter = false): Promise<string> {
  const path = join(root, `${name}.sh`);
  await writeFile(path, `#!/bin/sh\ntouch "${marker(name)}"\n${filter ? "cat\n" : "exit 1\n"}`);
  await chmod(path, 0o755);
  return path;
}

/** The agent's own git, in its lane. */
const agentGit = (...args: string[]) => execa("git", args, { cwd: checkout.work, reject: false, timeout: 15_000, stdin: "ignore" });
/** What an agent typically does with git: stage, commit, look at the status. */
async function agentCommits(): Promise<void> {
  await writeFile(join(checkout.work, "agent.txt"), `agent ${Date.now()}\n`);
  await agentGit("add", "-A");
  await agentGit("commit", "-qm", "agent");
  await agentGit("status", "--porcelain");
}

/** The app's side: snapshot the lane, push the branch from the mirror. */
async function appSnapshotsAndPushes(): Promise<string> {
  await writeFile(join(checkout.work, "src/a.ts"), "export const a = 2;\n");
  const head = await snapshotLane(checkout, { branch: BRANCH, parentSha: base, message: "lane", authorName: "agent-race", authorEmail: "a@agent-race.invalid" });
  await pushBranch({ repoDir: mirror, remoteUrl: remote, branch: BRANCH, expectedRemoteSha: null });
  return head;
}

async function mirrorState(): Promise<string[]> {
  const hooks = await readdir(join(mirror, "hooks")).catch(() => []);
  return [await readFile(join(mirror, "config"), "utf8"), hooks.sort().join(","), existsSync(join(mirror, "info", "attributes")) ? "attributes" : ""];
}

async function expectAppUnaffected(names: readonly string[]): Promise<void> {
  const before = await mirrorState();
  for (const name of names) await rm(marker(name), { force: true });
  const head = await appSnapshotsAndPushes();
  for (const name of names) expect(existsSync(marker(name)), `${name} ran during the app's snapshot or push`).toBe(false);
  expect((await execa("git", ["rev-parse", `refs/heads/${BRANCH}`], { cwd: remote })).stdout).toBe(head);
  expect((await execa("git", ["for-each-ref", "refs/heads/"], { cwd: trap })).stdout).not.toContain(head);
  expect(await mirrorState()).toEqual(before);
  expect((await execa("git", ["show", `${head}:src/a.ts`], { cwd: mirror })).stdout).toBe("export const a = 2;");
}

describe("a lane's planted git config never reaches the app's git", () => {
  it("url.<trap>.insteadOf: the push still goes to the real remote", async () => {
    await agentGit("config", `url.${trap}.insteadOf`, remote);
    await agentGit("push", "-q", remote, "HEAD:refs/heads/planted");
    expect((await execa("git", ["for-each-ref", "refs/heads/planted"], { cwd: trap })).stdout, "the plant is live").not.toBe("");
    await expectAppUnaffected([]);
  });

  for (const hook of ["post-index-change", "pre-commit", "post-commit", "reference-transaction"]) {
    it(`core.hooksPath with ${hook}: the hook does not run`, async () => {
      const hooks = join(root, "planted-hooks");
      await mkdir(hooks, { recursive: true });
      await writeFile(join(hooks, hook), `#!/bin/sh\ntouch "${marker(hook)}"\n`);
      await chmod(join(hooks, hook), 0o755);
      await agentGit("config", "core.hooksPath", hooks);
      await agentCommits();
      expect(existsSync(marker(hook)), "the plant is live").toBe(true);
      await expectAppUnaffected([hook]);
    });
  }

  it("hooks in the lane's own .git/hooks: they do not run", async () => {
    const names = ["post-index-change", "pre-commit", "post-commit", "reference-transaction", "pre-push"];
    await mkdir(join(dotGit(), "hooks"), { recursive: true });
    for (const hook of names) {
      await writeFile(join(dotGit(), "hooks", hook), `#!/bin/sh\ntouch "${marker(`own-${hook}`)}"\n`);
      await chmod(join(dotGit(), "hooks", hook), 0o755);
    }
    await agentCommits();
    expect(existsSync(marker("own-post-commit")), "the plant is live").toBe(true);
    await expectAppUnaffected(names.map((hook) => `own-${hook}`));
  });

  it("filter.evil.clean with a .gitattributes: the filter does not run", async () => {
    await agentGit("config", "filter.evil.clean", await script("filter", true));
    await agentGit("config", "filter.evil.required", "true");
    await writeFile(join(checkout.work, ".gitattributes"), "* filter=evil\n");
    await agentCommits();
    expect(existsSync(marker("filter")), "the plant is live").toBe(true);
    await expectAppUnaffected(["filter"]);
  });

  it("core.fsmonitor: the monitor does not run", async () => {
    await agentGit("config", "core.fsmonitor", await script("fsmonitor"));
    await agentCommits();
    expect(existsSync(marker("fsmonitor")), "the plant is live").toBe(true);
    await expectAppUnaffected(["fsmonitor"]);
  });

  it("include.path: the included config is not read", async () => {
    const included = join(root, "included.gitconfig");
    await writeFile(included, `[core]\n\tfsmonitor = ${await script("include")}\n`);
    await agentGit("config", "include.path", included);
    await agentCommits();
    expect(existsSync(marker("include")), "the plant is live").toBe(true);
    await expectAppUnaffected(["include"]);
  });

  it("core.sshCommand (with an insteadOf to ssh): the command does not run", async () => {
    await agentGit("config", "core.sshCommand", await script("ssh"));
    await agentGit("config", "url.ssh://planted.invalid/repo.insteadOf", remote);
    await agentGit("push", "-q", remote, "HEAD:refs/heads/planted");
    expect(existsSync(marker("ssh")), "the plant is live").toBe(true);
    await expectAppUnaffected(["ssh"]);
  });

  it("a .git file pointing at another repository: the app neither follows it nor commits it", async () => {
    const elsewhere = join(root, "elsewhere");
    await execa("git", ["init", "-q", elsewhere]);
    await execa("git", ["config", "core.fsmonitor", await script("gitfile")], { cwd: elsewhere });
    await rm(dotGit(), { recursive: true, force: true });
    await writeFile(dotGit(), `gitdir: ${join(elsewhere, ".git")}\n`);
    await agentGit("status", "--porcelain");
    expect(existsSync(marker("gitfile")), "the plant is live").toBe(true);
    await expectAppUnaffected(["gitfile"]);
    const files = (await execa("git", ["ls-tree", "-r", "--name-only", BRANCH], { cwd: mirror })).stdout.split("\n");
    expect(files).not.toContain(".git");
  });

  it("a filter the repository's own config defines, named by the lane's .gitattributes, does not run either", async () => {
    const repo = await createTempRepo({ "README.md": "# user repo\n" });
    try {
      await repo.git("config", "filter.userfilter.clean", await script("userfilter", true));
      await repo.git("config", "filter.userfilter.required", "true");
      const userBase = await repo.git("rev-parse", "HEAD");
      const { checkout: lane } = await createLaneCheckout({ repoDir: repo.dir, dir: join(root, "lanes", "user-1"), branch: BRANCH, baseSha: userBase });
      await writeFile(join(lane.work, ".gitattributes"), "* filter=userfilter\n");
      await writeFile(join(lane.work, "new.txt"), "raw\n");
      const head = await snapshotLane(lane, { branch: BRANCH, parentSha: userBase, message: "lane", authorName: "a", authorEmail: "a@agent-race.invalid" });
      expect(existsSync(marker("userfilter"))).toBe(false);
      expect(await repo.git("show", `${head}:new.txt`)).toBe("raw");
    } finally {
      await repo.cleanup();
    }
  });
});
