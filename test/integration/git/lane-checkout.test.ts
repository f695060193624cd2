import { existsSync } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { AGENT_CONFIG_PATHS, createLaneCheckout, laneCheckoutPaths, removeLaneCheckout, type LaneCheckout } from "../../../src/git/lane-checkout.js";
import { snapshotLane } from "../../../src/git/snapshot-lane.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

const BRANCH = "agent-race/t-1/1-codex";
const identity = { authorName: "agent-race (codex)", authorEmail: "codex@agent-race.invalid" };

let repo: TempRepo;
let root: string;
let base: string;
beforeEach(async () => {
  repo = await createTempRepo({ "README.md": "# test\n", "src/a.ts": "export const a = 1;\n", "old.txt": "old\n", ".gitignore": "ignored/\n" });
  root = await mkdtemp(join(tmpdir(), "agent-race-lanes-"));
  base = await repo.git("rev-parse", "HEAD");
});
afterEach(async () => {
  await repo.cleanup();
  await rm(root, { recursive: true, force: true });
});

/** git as the agent runs it: cwd in the lane's files, discovering `work/.git`. */
const laneGitCli = async (c: LaneCheckout, ...args: string[]): Promise<string> => (await execa("git", args, { cwd: c.work })).stdout;
const create = (dir = join(root, "lane-1"), extra: Partial<Parameters<typeof createLaneCheckout>[0]> = {}) =>
  createLaneCheckout({ repoDir: repo.dir, dir, branch: BRANCH, baseSha: base, ...extra });
const snapshot = (c: LaneCheckout, extra: Partial<Parameters<typeof snapshotLane>[1]> = {}) =>
  snapshotLane(c, { branch: BRANCH, parentSha: base, message: "lane 1: codex\n\nbody", ...identity, ...extra });

describe("createLaneCheckout", () => {
  it("checks the base out into dir/work with the branch in the repository, and the main checkout untouched", async () => {
    await repo.write("README.md", "local edit\n");
    const before = [await repo.git("status", "--porcelain"), (await readFile(join(repo.dir, ".git", "index"))).toString("base64"), await repo.git("symbolic-ref", "HEAD")];
    const { checkout, restored } = await create();
    expect(restored).toEqual([]);
    expect(checkout).toEqual(laneCheckoutPaths(join(root, "lane-1"), join(repo.dir, ".git")));
    expect(await readFile(join(checkout.work, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(await readFile(join(checkout.work, "README.md"), "utf8")).toBe("# test\n");
    expect(await repo.git("rev-parse", `refs/heads/${BRANCH}`)).toBe(base);
    expect([await repo.git("status", "--porcelain"), (await readFile(join(repo.dir, ".git", "index"))).toString("base64"), await repo.git("symbolic-ref", "HEAD")]).toEqual(before);
    for (const dir of [checkout.home, checkout.tmp]) expect((await lstat(dir)).mode & 0o777).toBe(0o700);
    expect(existsSync(checkout.index)).toBe(true);
    expect(await repo.git("worktree", "list", "--porcelain")).not.toContain("lane-1");
  });

  it("gives the lane its own git: status clean, log shows the base, commits stay in the lane's objects", async () => {
    const { checkout } = await create();
    expect((await lstat(join(checkout.work, ".git"))).isDirectory()).toBe(true);
    expect(await readFile(join(checkout.work, ".git", "objects", "info", "alternates"), "utf8")).toBe(`${checkout.objectsDir}\n`);
    expect(await laneGitCli(checkout, "status", "--porcelain")).toBe("");
    expect(await laneGitCli(checkout, "symbolic-ref", "--short", "HEAD")).toBe(BRANCH);
    expect(await laneGitCli(checkout, "log", "--format=%H")).toBe(base);
    await writeFile(join(checkout.work, "README.md"), "agent\n");
    expect(await laneGitCli(checkout, "diff", "--stat")).toContain("README.md");
    await laneGitCli(checkout, "commit", "-qam", "agent commit");
    const agentCommit = await laneGitCli(checkout, "rev-parse", "HEAD");
    expect(await laneGitCli(checkout, "rev-parse", "HEAD~1")).toBe(base);
    expect((await execa("git", ["cat-file", "-e", agentCommit], { cwd: repo.dir, reject: false })).exitCode).not.toBe(0);
    expect(await repo.git("rev-parse", `refs/heads/${BRANCH}`)).toBe(base);
  });

  it("works from a bare mirror, and for several lanes at once", async () => {
    const mirror = join(root, "mirror.git");
    await execa("git", ["clone", "-q", "--bare", repo.dir, mirror]);
    const lanes = await Promise.all([1, 2, 3, 4].map((n) =>
      createLaneCheckout({ repoDir: mirror, dir: join(root, "race", `lane-${n}`), branch: `agent-race/t-1/${n}-x`, baseSha: base })));
    for (const [i, { checkout }] of lanes.entries()) {
      expect(checkout.gitDir).toBe(mirror);
      expect(await readFile(join(checkout.work, "README.md"), "utf8")).toBe("# test\n");
      expect(await laneGitCli(checkout, "status", "--porcelain")).toBe("");
      expect((await execa("git", ["rev-parse", `refs/heads/agent-race/t-1/${i + 1}-x`], { cwd: mirror })).stdout).toBe(base);
    }
  });

  it("refuses an existing branch, an unsafe branch or a used directory, leaving nothing behind", async () => {
    await repo.git("branch", BRANCH);
    await expect(create()).rejects.toThrow(new UserError(`branch "${BRANCH}" already exists`));
    expect(existsSync(join(root, "lane-1"))).toBe(false);
    await expect(create(join(root, "lane-2"), { branch: "--upload-pack=x" })).rejects.toBeInstanceOf(UserError);
    await repo.git("branch", "-D", BRANCH);

    const used = join(root, "lane-3");
    await mkdir(used);
    await writeFile(join(used, "file"), "x");
    await expect(create(used)).rejects.toBeInstanceOf(UserError);
    expect(await repo.git("branch", "--list", BRANCH)).toBe("");
    expect(await readFile(join(used, "file"), "utf8")).toBe("x");
    await expect(create(join(repo.dir, ".git", "lanes", "lane-1"))).rejects.toThrow(/inside the git dir/);
    await expect(create(join(repo.dir, ".."))).rejects.toThrow(/contains the repository/);
  });
});

describe("snapshotLane", () => {
  it("commits changes, additions and deletions (not ignored or excluded files) on the branch, with the given identity", async () => {
    const { checkout } = await create();
    await writeFile(join(checkout.work, "README.md"), "# changed\n");
    await mkdir(join(checkout.work, "src", "new"), { recursive: true });
    await writeFile(join(checkout.work, "src", "new", "b.ts"), "export {};\n");
    await rm(join(checkout.work, "old.txt"));
    await mkdir(join(checkout.work, "ignored"));
    await writeFile(join(checkout.work, "ignored", "junk.txt"), "junk\n");
    await writeFile(join(checkout.work, ".env"), "SECRET=1\n");

    const head = await snapshot(checkout, { exclude: [".env"] });
    expect(await repo.git("rev-parse", `refs/heads/${BRANCH}`)).toBe(head);
    expect(await repo.git("rev-parse", `${head}~1`)).toBe(base);
    expect((await repo.git("show", "--name-status", "--format=", head)).split("\n").sort()).toEqual(["A\tsrc/new/b.ts", "D\told.txt", "M\tREADME.md"]);
    expect((await repo.git("log", "-1", "--format=%an <%ae>|%cn <%ce>|%B", head)).trimEnd()).toBe(
      "agent-race (codex) <codex@agent-race.invalid>|agent-race (codex) <codex@agent-race.invalid>|lane 1: codex\n\nbody",
    );
    expect(await repo.git("rev-parse", "HEAD")).toBe(base);
  });

  it("returns the parent without a commit when nothing changed", async () => {
    const { checkout } = await create();
    expect(await snapshot(checkout)).toBe(base);
    await writeFile(join(checkout.work, "README.md"), "changed, then back\n");
    await writeFile(join(checkout.work, "README.md"), "# test\n");
    expect(await snapshot(checkout)).toBe(base);
    expect(await repo.git("rev-parse", `refs/heads/${BRANCH}`)).toBe(base);
  });

  it("ignores the agent's own commits: only the files count", async () => {
    const { checkout } = await create();
    await writeFile(join(checkout.work, "a.txt"), "a\n");
    await laneGitCli(checkout, "add", "a.txt");
    await laneGitCli(checkout, "commit", "-qm", "agent did it");
    const agentCommit = await laneGitCli(checkout, "rev-parse", "HEAD");
    const head = await snapshot(checkout);
    expect(head).not.toBe(agentCommit);
    expect(await repo.git("rev-list", "--count", `${base}..${head}`)).toBe("1");
    expect(await repo.git("show", "--name-only", "--format=", head)).toBe("a.txt");

    // A commit the agent made and reverted in its files adds nothing.
    const { checkout: second } = await create(join(root, "lane-2"), { branch: "agent-race/t-1/2-x" });
    await writeFile(join(second.work, "b.txt"), "b\n");
    await laneGitCli(second, "add", "b.txt");
    await laneGitCli(second, "commit", "-qm", "agent");
    await rm(join(second.work, "b.txt"));
    expect(await snapshotLane(second, { branch: "agent-race/t-1/2-x", parentSha: base, message: "m", ...identity })).toBe(base);
  });

  it("stores symlinks as links, never following them", async () => {
    const outside = join(root, "outside");
    await mkdir(outside);
    await writeFile(join(outside, "secret.txt"), "secret\n");
    const { checkout } = await create();
    await symlink(join(outside, "secret.txt"), join(checkout.work, "file-link"));
    await symlink(outside, join(checkout.work, "dir-link"));
    await rm(join(checkout.work, "src"), { recursive: true });
    await symlink(outside, join(checkout.work, "src"));
    const head = await snapshot(checkout);
    const tree = await repo.git("ls-tree", "-r", head);
    expect(tree).toMatch(new RegExp(`^120000 blob \\w+\\tfile-link$`, "m"));
    expect(tree).toMatch(new RegExp(`^120000 blob \\w+\\tdir-link$`, "m"));
    expect(tree).toMatch(new RegExp(`^120000 blob \\w+\\tsrc$`, "m"));
    expect(tree).not.toContain("secret.txt");
    expect(await repo.git("cat-file", "-p", `${head}:dir-link`)).toBe(outside);
  });

  it("leaves nested repositories out instead of failing or committing a gitlink", async () => {
    const { checkout } = await create();
    await execa("git", ["init", "-q", join(checkout.work, "empty-repo")]);
    await writeFile(join(checkout.work, "empty-repo", "e.txt"), "e\n");
    await execa("git", ["init", "-q", join(checkout.work, "full-repo")]);
    await writeFile(join(checkout.work, "full-repo", "f.txt"), "f\n");
    await execa("git", ["add", "f.txt"], { cwd: join(checkout.work, "full-repo") });
    await execa("git", ["commit", "-qm", "nested"], { cwd: join(checkout.work, "full-repo") });
    await writeFile(join(checkout.work, "kept.txt"), "kept\n");
    const head = await snapshot(checkout);
    expect(await repo.git("ls-tree", "-r", "--name-only", head)).toBe(".gitignore\nREADME.md\nkept.txt\nold.txt\nsrc/a.ts");
  });

  it("refuses to move a branch that is no longer at the parent", async () => {
    const { checkout } = await create();
    await repo.git("commit", "-q", "--allow-empty", "-m", "moves main");
    await repo.git("update-ref", `refs/heads/${BRANCH}`, "HEAD");
    await writeFile(join(checkout.work, "x.txt"), "x\n");
    await expect(snapshot(checkout)).rejects.toThrow(/git update-ref failed: .*is at .* but expected/);
  });
});

describe("createLaneCheckout with restore", () => {
  /** The base has agent config; the "PR head" an earlier agent wrote changes it. */
  async function prHead(edit: (r: TempRepo) => Promise<void>): Promise<string> {
    await repo.write(".claude/settings.json", '{"base":true}\n');
    await repo.write("CLAUDE.md", "base instructions\n");
    await repo.write(".github/agent-race.yml", "lanes: 2\n");
    base = await repo.commitAll("agent config");
    await repo.git("checkout", "-q", "-b", "pr");
    await edit(repo);
    const head = await repo.commitAll("earlier agent");
    await repo.git("checkout", "-q", "main");
    return head;
  }

  it("replaces modified, added and removed agent config with the base's, keeps the rest of the head", async () => {
    const head = await prHead(async (r) => {
      await r.write(".claude/settings.json", '{"hooks":"evil"}\n');
      await r.write(".claude/hooks/run.sh", "evil\n");
      await r.write(".mcp.json", "{}\n");
      await rm(join(r.dir, "CLAUDE.md"));
      await r.write("src/a.ts", "export const a = 2;\n");
    });
    const { checkout, restored } = await create(join(root, "lane-1"), { baseSha: head, restore: { fromSha: base, paths: AGENT_CONFIG_PATHS } });
    expect(restored).toEqual([".claude/hooks/run.sh", ".claude/settings.json", ".mcp.json", "CLAUDE.md"]);
    expect(await readFile(join(checkout.work, ".claude/settings.json"), "utf8")).toBe('{"base":true}\n');
    expect(await readFile(join(checkout.work, "CLAUDE.md"), "utf8")).toBe("base instructions\n");
    expect(existsSync(join(checkout.work, ".claude/hooks/run.sh"))).toBe(false);
    expect(existsSync(join(checkout.work, ".mcp.json"))).toBe(false);
    expect(await readFile(join(checkout.work, "src/a.ts"), "utf8")).toBe("export const a = 2;\n");
    expect(await laneGitCli(checkout, "log", "-1", "--format=%H")).toBe(head);

    // The snapshot keeps the head's version of what the lane left as restored, and takes the lane's own edits.
    await writeFile(join(checkout.work, "CLAUDE.md"), "edited by this lane\n");
    await writeFile(join(checkout.work, "src/a.ts"), "export const a = 3;\n");
    const commit = await snapshot(checkout, { parentSha: head, restored });
    expect((await repo.git("diff", "--name-status", head, commit)).split("\n").sort()).toEqual(["A\tCLAUDE.md", "M\tsrc/a.ts"]);
    expect(await repo.git("show", `${commit}:.claude/settings.json`)).toBe('{"hooks":"evil"}');
  });

  it("restores a symlinked .claude and .github as directories, writing nothing through the links", async () => {
    const outside = join(root, "outside");
    await mkdir(outside);
    const head = await prHead(async (r) => {
      await rm(join(r.dir, ".claude"), { recursive: true });
      await rm(join(r.dir, ".github"), { recursive: true });
      await symlink(outside, join(r.dir, ".claude"));
      await symlink(outside, join(r.dir, ".github"));
    });
    const { checkout, restored } = await create(join(root, "lane-1"), { baseSha: head, restore: { fromSha: base, paths: AGENT_CONFIG_PATHS } });
    expect(restored).toEqual([".claude", ".claude/settings.json", ".github", ".github/agent-race.yml"]);
    for (const dir of [".claude", ".github"]) expect((await lstat(join(checkout.work, dir))).isDirectory()).toBe(true);
    expect(await readFile(join(checkout.work, ".claude/settings.json"), "utf8")).toBe('{"base":true}\n');
    expect(await readFile(join(checkout.work, ".github/agent-race.yml"), "utf8")).toBe("lanes: 2\n");
    expect(existsSync(join(outside, "settings.json"))).toBe(false);
    expect(existsSync(join(outside, "agent-race.yml"))).toBe(false);
  });

  it("restores nothing when the head has the base's config", async () => {
    const head = await prHead(async (r) => r.write("src/a.ts", "export const a = 2;\n"));
    const { restored } = await create(join(root, "lane-1"), { baseSha: head, restore: { fromSha: base, paths: AGENT_CONFIG_PATHS } });
    expect(restored).toEqual([]);
  });
});

describe("removeLaneCheckout", () => {
  it("removes a lane with links to outside and unwritable directories, leaving the link targets alone", async () => {
    const outside = join(root, "outside");
    await mkdir(outside);
    await writeFile(join(outside, "keep.txt"), "keep\n");
    const { checkout } = await create();
    await symlink(outside, join(checkout.work, "link"));
    await symlink(outside, join(checkout.home, "link"));
    await mkdir(join(checkout.work, "locked", "deep"), { recursive: true });
    await writeFile(join(checkout.work, "locked", "deep", "f"), "f");
    await chmod(join(checkout.work, "locked", "deep"), 0o500);
    await chmod(join(checkout.work, "locked"), 0o500);
    await removeLaneCheckout(checkout.dir);
    expect(existsSync(checkout.dir)).toBe(false);
    expect(await readFile(join(outside, "keep.txt"), "utf8")).toBe("keep\n");
    await removeLaneCheckout(checkout.dir);
  });

  it("refuses what is not a lane directory: a checkout, a repository's parent, a symlink, a file", async () => {
    await expect(removeLaneCheckout(repo.dir)).rejects.toBeInstanceOf(UserError);
    await expect(removeLaneCheckout(join(repo.dir, ".."))).rejects.toBeInstanceOf(UserError);
    const { checkout } = await create();
    const link = join(root, "link-to-lane");
    await symlink(checkout.dir, link);
    await expect(removeLaneCheckout(link)).rejects.toBeInstanceOf(UserError);
    await expect(removeLaneCheckout(join(checkout.work, "README.md"))).rejects.toBeInstanceOf(UserError);
    await expect(removeLaneCheckout(checkout.work)).rejects.toBeInstanceOf(UserError);
    expect(existsSync(join(repo.dir, "README.md"))).toBe(true);
    expect(existsSync(join(checkout.work, "README.md"))).toBe(true);
    expect(await readlink(link)).toBe(checkout.dir);
  });

  it("removes an empty directory and a linked worktree left by an older agent-race", async () => {
    const empty = join(root, "lane-9");
    await mkdir(empty);
    await removeLaneCheckout(empty);
    expect(existsSync(empty)).toBe(false);
    const legacy = join(root, "lane-8");
    await repo.git("worktree", "add", "-q", "-b", "legacy", legacy, base);
    await removeLaneCheckout(legacy);
    expect(existsSync(legacy)).toBe(false);
    expect(existsSync(join(repo.dir, "README.md"))).toBe(true);
  });
});
