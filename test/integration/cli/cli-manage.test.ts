import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runRace } from "../../../src/local/run-race.js";
import { isProcessAlive } from "../../helpers/is-process-alive.js";
import { agentCommand, answerConfig, createAnswerRepo } from "../../helpers/race-fixture.js";
import { runCli, startCli } from "../../helpers/run-cli.js";
import type { TempRepo } from "../../helpers/temp-repo.js";

let repo: TempRepo;
beforeEach(async () => {
  repo = await createAnswerRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

const twoPassing = [
  "agents:",
  `  one: { command: ${agentCommand("--write", "src/answer.txt=42")} }`,
  `  two: { command: ${agentCommand("--write", "src/answer.txt=42", "--write", "src/extra.txt=more")} }`,
  "default_agents: [one, two]",
  "lanes: 2",
  "mode: compare",
].join("\n");

describe("agent-race list, pick and clean", () => {
  it("lists races, picks a lane with a --no-ff merge that records the ranking, and deletes the other branches", async () => {
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config: answerConfig(twoPassing) });
    const listed = await runCli(repo.dir, ["list"]);
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain(report.id);
    expect(listed.stdout).toMatch(/lane 1 one\s+passed.*\(winner\)/);

    const picked = await runCli(repo.dir, ["pick", report.id, "2"]);
    expect(picked.stderr).toBe("");
    expect(picked.exitCode).toBe(0);
    expect(await repo.git("log", "-1", "--format=%P")).toMatch(/^[0-9a-f]{40} [0-9a-f]{40}$/);
    const message = await repo.git("log", "-1", "--format=%B");
    expect(message).toContain(`agent-race: merge lane 2 (two) of race ${report.id}`);
    expect(message).toContain("Ranking:");
    expect(message).toContain("lane 2 two: passed");
    expect(await readFile(join(repo.dir, "src/extra.txt"), "utf8")).toBe("more");
    const branches = await repo.git("branch", "--format=%(refname:short)");
    expect(branches).not.toContain(report.lanes.find((l) => l.lane === 1)?.branch);
    expect((await runCli(repo.dir, ["list", "--json"])).stdout).toContain('"state": "picked"');
  });

  it("refuses to pick a lane that conflicts with the base branch and leaves nothing half-merged", async () => {
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config: answerConfig(twoPassing) });
    await repo.write("src/answer.txt", "forty-two\n");
    const head = await repo.commitAll("a conflicting change on main");
    const result = await runCli(repo.dir, ["pick", report.id, "1"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("src/answer.txt");
    expect(await repo.git("rev-parse", "HEAD")).toBe(head);
    expect(await repo.git("status", "--porcelain")).toBe("");
    expect(existsSync(join(repo.dir, ".git/MERGE_HEAD"))).toBe(false);
    expect(await repo.git("branch", "--list", report.lanes[0]!.branch)).not.toBe("");
  });

  it("refuses to pick into a dirty checkout or an unknown race or lane", async () => {
    const report = await runRace({ cwd: repo.dir, task: "answer", config: answerConfig(twoPassing) });
    expect((await runCli(repo.dir, ["pick", "nosuch", "1"])).stderr).toContain('no race "nosuch"');
    expect((await runCli(repo.dir, ["pick", report.id, "5"])).stderr).toContain("has no lane 5");
    await repo.write("README.md", "dirty\n");
    const dirty = await runCli(repo.dir, ["pick", report.id, "1"]);
    expect(dirty.exitCode).toBe(2);
    expect(dirty.stderr).toContain("README.md");
    expect(await readFile(join(repo.dir, "README.md"), "utf8")).toBe("dirty\n");
  });

  it("cleans a race's branches, kept worktrees and records", async () => {
    const report = await runRace({ cwd: repo.dir, task: "answer", config: answerConfig(twoPassing), keep: true });
    expect(existsSync(report.lanes[0]!.worktree!)).toBe(true);
    const cleaned = await runCli(repo.dir, ["clean", report.id]);
    expect(cleaned.exitCode).toBe(0);
    expect(existsSync(report.lanes[0]!.worktree!)).toBe(false);
    expect(await repo.git("branch", "--format=%(refname:short)")).toBe("main");
    expect((await repo.git("worktree", "list")).split("\n")).toHaveLength(1);
    expect((await runCli(repo.dir, ["list"])).stdout).toContain("No races");
  });

  it("runs two races on the same repository at the same time without interference", async () => {
    const config = answerConfig(twoPassing);
    const [a, b] = await Promise.all([
      runRace({ cwd: repo.dir, task: "first", config }),
      runRace({ cwd: repo.dir, task: "second", config }),
    ]);
    expect(a.id).not.toBe(b.id);
    for (const report of [a, b]) expect(report.lanes.map((l) => l.status)).toEqual(["passed", "passed"]);
    const branches = new Set([...a.lanes, ...b.lanes].map((l) => l.branch));
    expect(branches.size).toBe(4);
    expect((await repo.git("worktree", "list")).split("\n")).toHaveLength(1);
  });

  it("on SIGINT stops the agents, removes the worktrees and exits 130", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "agent-race-int-"));
    await repo.write(
      ".github/agent-race.yml",
      `agents:\n  slow: { command: ${agentCommand("--child-pid-file", join(scratch, "child-{lane}.pid"), "--hang")} }\ndefault_agents: [slow]\nlanes: 2\n`,
    );
    const worktrees = join(scratch, "worktrees");
    // Unsandboxed: the agents write their children's pids outside their worktrees (the sandboxed case is below).
    const child = startCli(repo.dir, ["race", "--no-sandbox", "task"], { AGENT_RACE_WORKTREE_DIR: worktrees });
    await waitFor(async () => (await readdir(scratch)).filter((f) => f.endsWith(".pid")).length === 2);
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toContain("cancelled");
    for (const lane of [1, 2]) {
      const pid = Number(await readFile(join(scratch, `child-${lane}.pid`), "utf8"));
      expect(isProcessAlive(pid)).toBe(false);
    }
    const races = await readdir(worktrees);
    for (const race of races) expect(await readdir(join(worktrees, race))).toEqual([]);
    expect((await repo.git("worktree", "list")).split("\n")).toHaveLength(1);
    expect(await repo.git("branch", "--format=%(refname:short)")).toBe("main");
  });

  it("on SIGINT stops sandboxed agents and their children too, removes the lanes and exits 130", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "agent-race-int-"));
    await repo.write(
      ".github/agent-race.yml",
      `agents:\n  slow: { command: ${agentCommand("--child-pid-file", "child.pid", "--hang")} }\ndefault_agents: [slow]\nlanes: 2\n`,
    );
    const worktrees = join(scratch, "worktrees");
    const child = startCli(repo.dir, ["race", "task"], { AGENT_RACE_WORKTREE_DIR: worktrees });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(async () => (stderr.match(/agent running/g) ?? []).length === 2);
    await waitFor(async () => (await readdir(worktrees, { recursive: true })).filter((f) => String(f).endsWith("child.pid")).length === 2);
    // Every process of a lane is in its sandbox, whose bwrap names the lane's directory in its argv.
    const sandboxed = () => spawnSync("pgrep", ["-f", worktrees], { encoding: "utf8" }).stdout.trim();
    expect(sandboxed()).not.toBe("");
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(sandboxed()).toBe("");
    for (const race of await readdir(worktrees)) expect(await readdir(join(worktrees, race))).toEqual([]);
    expect(await repo.git("branch", "--format=%(refname:short)")).toBe("main");
  });

  it("runs the demo: three scripted agents, the careful one wins", async () => {
    const result = await runCli(repo.dir, ["demo", "--json"]);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.winner).toBe(1);
    expect(report.lanes.map((l: { agent: string; status: string }) => [l.agent, l.status])).toEqual([
      ["careful", "passed"], ["wanderer", "passed"], ["hasty", "failed"],
    ]);
    expect(report.lanes[1].out_of_scope).toEqual(["README.md"]);
    expect(result.stderr).toContain("DEMO");
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
}
