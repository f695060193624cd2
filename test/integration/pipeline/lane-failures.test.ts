import { existsSync } from "node:fs";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runRace } from "../../../src/local/run-race.js";
import { agentCommand, answerConfig, createAnswerRepo, NODE } from "../../helpers/race-fixture.js";
import { isProcessAlive } from "../../helpers/is-process-alive.js";
import type { TempRepo } from "../../helpers/temp-repo.js";

let repo: TempRepo;
let scratch: string;
beforeEach(async () => {
  repo = await createAnswerRepo();
  scratch = await mkdtemp(join(tmpdir(), "agent-race-scratch-"));
});
afterEach(async () => {
  await repo.cleanup();
});


async function raceOne(agentArgs: string[], extra = "") {
  const config = answerConfig([`agents:`, `  solo: { command: ${agentCommand(...agentArgs)}, timeout: 1s }`, "default_agents: [solo]", "lanes: 1", extra].join("\n"));
  const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config });
  return report.lanes[0]!;
}

describe("lane failures are results, not crashes", () => {
  it("kills a hanging agent and its whole process tree at the timeout", async () => {
    const pidFile = join(scratch, "child.pid");
    const started = Date.now();
    const lane = await raceOne(["--write", "src/answer.txt=42", "--child-pid-file", pidFile, "--hang"]);
    expect(lane.status).toBe("timeout");
    expect(lane.note).toContain("timed out after 1s");
    expect(Date.now() - started).toBeLessThan(10_000);
    const child = Number(await readFile(pidFile, "utf8"));
    await new Promise((r) => setTimeout(r, 200));
    expect(isProcessAlive(child)).toBe(false);
    // Partial work is committed on the lane branch even though the lane timed out.
    expect(lane.head).toMatch(/^[0-9a-f]{40}$/);
    expect(lane.evals).toEqual([]);
  });

  it("marks an agent that exits non-zero as error and skips its evals", async () => {
    const lane = await raceOne(["--write", "src/answer.txt=42", "--exit", "3"]);
    expect(lane.status).toBe("error");
    expect(lane.note).toContain("code 3");
    expect(lane.evals).toEqual([]);
  });

  it("treats a Claude-style is_error report with exit 0 as an error and reads its usage", async () => {
    const json = JSON.stringify({ type: "result", subtype: "success", is_error: true, result: "Not logged in", total_cost_usd: 0.25, usage: { input_tokens: 10, output_tokens: 5 } });
    const config = answerConfig(["agents:", `  c: { command: ${agentCommand("--write", "src/answer.txt=42", "--json", json)}, output: claude-json }`, "default_agents: [c]", "lanes: 1"].join("\n"));
    const lane = (await runRace({ cwd: repo.dir, task: "x", config })).lanes[0]!;
    expect(lane.status).toBe("error");
    expect(lane.note).toContain("Not logged in");
    expect(lane).toMatchObject({ tokens: 15, cost_usd: 0.25 });
  });

  it("reports an agent that changes nothing as no-changes", async () => {
    const lane = await raceOne([]);
    expect(lane).toMatchObject({ status: "no-changes", files_changed: 0, head: null });
  });

  it("caps an agent that floods stdout and still evaluates it", async () => {
    const lane = await raceOne(["--flood", String(12 * 1024 * 1024), "--write", "src/answer.txt=42"], "");
    expect(lane.status).toBe("passed");
    expect((await stat(lane.log)).size).toBeLessThan(5 * 1024 * 1024 + 4096);
    expect(await readFile(lane.log, "utf8")).toContain("output truncated");
    expect(lane.note).toContain("truncated");
  });

  it("reports out-of-scope edits, and fails the lane with scope_mode: fail", async () => {
    const warn = await raceOne(["--write", "src/answer.txt=42", "--write", "README.md=changed"], 'scope: ["src/**"]');
    expect(warn).toMatchObject({ status: "passed", out_of_scope: ["README.md"] });
    const fail = await raceOne(["--write", "src/answer.txt=42", "--write", "README.md=changed"], 'scope: ["src/**"]\nscope_mode: fail');
    expect(fail).toMatchObject({ status: "failed", out_of_scope: ["README.md"] });
  });

  it("fails a lane whose eval hangs, at the eval's timeout", async () => {
    const lane = await raceOne(
      ["--write", "src/answer.txt=42"],
      `evals:\n  - { name: slow, run: ${JSON.stringify([NODE, "-e", "setInterval(() => {}, 1000)"])}, timeout: 1s }`,
    );
    expect(lane.status).toBe("failed");
    expect(lane.evals[0]).toMatchObject({ name: "slow", passed: false });
    expect(lane.evals[0]?.note).toMatch(/timed out/);
  });

  it("fails a lane whose setup fails, without running the agent", async () => {
    const marker = join(scratch, "ran");
    const lane = await raceOne(["--write", `${marker}=1`], `setup:\n  - "exit 7"`);
    expect(lane.status).toBe("error");
    expect(lane.note).toContain("setup `exit 7` failed with exit code 7");
    expect(existsSync(marker)).toBe(false);
  });

  it("copies configured files into the worktree and reports missing ones", async () => {
    await repo.write(".env", "SECRET=1\n"); // untracked, like a real .env
    const lane = await raceOne(["--write", "src/answer.txt=42"], `copy: [".env", "missing.txt"]\nevals:\n  - { name: env, run: "test -f .env" }`);
    expect(lane.status).toBe("passed");
    expect(lane.note).toContain("copy skipped missing missing.txt");
    // Copied files such as .env are never committed to the lane branch.
    expect(lane.files_changed).toBe(1);
  });
});
