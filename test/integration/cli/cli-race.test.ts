import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { agentCommand, createAnswerRepo, NODE } from "../../helpers/race-fixture.js";
import { runCli } from "../../helpers/run-cli.js";
import type { TempRepo } from "../../helpers/temp-repo.js";

let repo: TempRepo;
beforeEach(async () => {
  repo = await createAnswerRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

async function writeConfig(agents: Record<string, string[]>, extra = ""): Promise<void> {
  const lines = ["agents:", ...Object.entries(agents).map(([name, args]) => `  ${name}: { command: ${agentCommand(...args)} }`)];
  lines.push(`default_agents: [${Object.keys(agents).join(", ")}]`, "evals:", `  - { name: check, run: ${JSON.stringify([NODE, "check.mjs"])} }`, extra);
  await repo.write(".github/agent-race.yml", lines.join("\n"));
  await repo.commitAll("config");
}

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at /);
}

describe("agent-race race", () => {
  it("prints only the JSON report on stdout with --json and exits 0 with a winner", async () => {
    await writeConfig({ good: ["--write", "src/answer.txt=42"], bad: ["--write", "src/answer.txt=7"] });
    const result = await runCli(repo.dir, ["race", "--json", "-n", "2", "Make", "the", "answer", "42"]);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ task: "Make the answer 42", base: "main", winner: 1 });
    expect(report.lanes.map((l: { lane: number; status: string }) => [l.lane, l.status])).toEqual([[1, "passed"], [2, "failed"]]);
    expect(result.stderr).toContain("[lane 1 good]");
  });

  it("prints the ranked table and exits 1 when no lane passes", async () => {
    await writeConfig({ bad: ["--write", "src/answer.txt=7"] });
    const result = await runCli(repo.dir, ["race", "--lanes", "1", "fix it"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("No lane passed.");
    expect(result.stdout).toMatch(/1\s+1\s+bad\s+failed/);
  });

  it("reads the task from --task-file, cycles --agent and gives one --approach per lane", async () => {
    await writeConfig({ a: ["--write", "src/answer.txt=42"], b: ["--write", "src/answer.txt=42"] });
    await repo.write("TASK.md", "Make the answer 42\n");
    const result = await runCli(repo.dir, ["race", "--json", "--task-file", "TASK.md", "-n", "3", "--agent", "b", "--agent", "a", "--approach", "fast", "--approach", "slow"]);
    expect(result.exitCode).toBe(0);
    const lanes = JSON.parse(result.stdout).lanes.sort((x: { lane: number }, y: { lane: number }) => x.lane - y.lane);
    expect(lanes.map((l: { agent: string; approach: string | null }) => [l.agent, l.approach])).toEqual([["b", "fast"], ["a", "slow"], ["b", null]]);
  });

  it.each([
    ["an unknown key", "colour: blue\n", /Unrecognized key.*colour/],
    ["a wrong type", "lanes: three\n", /lanes/],
    ["lanes: 99", "lanes: 99\n", /lanes \(99\) is more than max_lanes \(8\)/],
    ["a bad duration", "timeout: soon\n", /expected a duration/],
  ])("exits 2 with a clear message for %s in the config", async (_name, yaml, message) => {
    await repo.write(".github/agent-race.yml", yaml);
    const result = await runCli(repo.dir, ["race", "task"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(".github/agent-race.yml");
    expectNoStack(result.stderr);
    expect(result.stdout).toBe("");
  });

  it.each([
    ["a missing base ref", ["race", "--base", "no-such-branch", "task"], /base ref "no-such-branch" not found/],
    ["an empty task", ["race"], /task is empty/],
    ["an unknown option", ["race", "--frobnicate", "task"], /unknown option/],
    ["a bad lane count", ["race", "-n", "zero", "task"], /--lanes must be a whole number/],
    ["too many lanes", ["race", "-n", "9", "task"], /9 lanes is more than max_lanes \(8\)/],
    ["an unknown agent", ["race", "--agent", "nobody", "task"], /unknown agent "nobody"/],
    ["more approaches than lanes", ["race", "-n", "1", "--approach", "a", "--approach", "b", "task"], /2 approaches were given for 1 lanes/],
  ])("exits 2 for %s", async (_name, args, message) => {
    const result = await runCli(repo.dir, args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expectNoStack(result.stderr);
  });

  it("exits 2 outside a git repository", async () => {
    const dir = await mkdtemp(join(tmpdir(), "agent-race-nogit-"));
    const result = await runCli(dir, ["race", "task"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("not a git repository");
  });

  it("never executes task text with shell metacharacters and passes unicode through intact", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "agent-race-meta-"));
    const marker = join(scratch, "pwned");
    const task = `Fix $(touch ${marker}) \`touch ${marker}\`; touch ${marker} && echo "quoted" | cat 'single' ünïcødé 🚀 \u202Eevil`;
    await repo.write(
      ".github/agent-race.yml",
      `agents:\n  echo: { command: ${agentCommand("--prompt-to", join(scratch, "prompt.txt"), "--write", "src/answer.txt=42")}, prompt: arg }\ndefault_agents: [echo]\nlanes: 1\n`,
    );
    // Unsandboxed, where a shell would have been able to create the marker (and the agent can copy its prompt out).
    const result = await runCli(repo.dir, ["race", "--json", "--no-sandbox", "--", task]);
    expect(result.exitCode).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const prompt = await readFile(join(scratch, "prompt.txt"), "utf8");
    expect(prompt).toContain(task);
    expect(JSON.parse(result.stdout).task).toBe(task);
  });

  it("leaves a dirty user checkout exactly as it was", async () => {
    await writeConfig({ good: ["--write", "src/answer.txt=42"] });
    await repo.write("README.md", "# my local edit\n");
    await repo.write("src/answer.txt", "13\n");
    await repo.git("add", "src/answer.txt");
    await repo.write("scratch.txt", "untracked\n");
    const before = { status: await repo.git("status", "--porcelain"), diff: await repo.git("diff"), cached: await repo.git("diff", "--cached"), head: await repo.git("rev-parse", "HEAD"), branch: await repo.git("branch", "--show-current") };
    const result = await runCli(repo.dir, ["race", "-n", "2", "make it 42"]);
    expect(result.exitCode).toBe(0);
    const after = { status: await repo.git("status", "--porcelain"), diff: await repo.git("diff"), cached: await repo.git("diff", "--cached"), head: await repo.git("rev-parse", "HEAD"), branch: await repo.git("branch", "--show-current") };
    expect(after).toEqual(before);
    expect(await readFile(join(repo.dir, "src/answer.txt"), "utf8")).toBe("13\n");
  });
});
