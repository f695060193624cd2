import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_SETTINGS, type SandboxSettings } from "../../../src/config/sandbox-settings.js";
import type { LaneResult, RaceReport } from "../../../src/model/race-report.js";
import { runRace } from "../../../src/local/run-race.js";
import { resolveLaneSandbox, type LaneSandboxConfig } from "../../../src/sandbox/resolve-lane-sandbox.js";
import { agentCommand, answerConfig, createAnswerRepo, NODE } from "../../helpers/race-fixture.js";
import type { TempRepo } from "../../helpers/temp-repo.js";

// Whole local races in the lane sandbox (issue 11): a normal agent, setup and evals still work;
// a lane that passes its memory or process cap, or would start on a full disk, ends `limit` and
// the race goes on.

const bwrapAvailable = existsSync("/usr/bin/bwrap") || existsSync("/usr/local/bin/bwrap");
const MEMORY_HOG = JSON.stringify([NODE, "-e", "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));"]);
const FORK_BOMB = JSON.stringify(["/bin/sh", "-c", "for i in $(seq 1 200); do sleep 5 & done; wait"]);

let repo: TempRepo;
beforeAll(async () => {
  repo = await createAnswerRepo();
});
afterAll(async () => {
  await repo.cleanup();
});

async function sandbox(overrides: Partial<SandboxSettings> = {}): Promise<LaneSandboxConfig> {
  const resolved = await resolveLaneSandbox({ ...DEFAULT_SANDBOX_SETTINGS, ...overrides }, { scratchRoot: tmpdir() });
  if (resolved.kind !== "sandboxed") throw new Error(`no sandbox: ${resolved.kind === "unavailable" ? resolved.probe.problem : "off"}`);
  return resolved.config;
}

const byLane = (report: RaceReport, lane: number): LaneResult => report.lanes.find((l) => l.lane === lane) as LaneResult;
const notes = (report: RaceReport): string => JSON.stringify(report.lanes.map((l) => [l.lane, l.status, l.note]));

describe.skipIf(!bwrapAvailable)("a local race in the lane sandbox", () => {
  it("runs a normal agent, a setup that writes node_modules, and node --test with JUnit output", async () => {
    await repo.write(".gitignore", "node_modules/\nreport.xml\n");
    await repo.write("answer.test.mjs", `import test from "node:test"; import assert from "node:assert"; import { readFileSync } from "node:fs";\nimport dep from "dep";\ntest("answer", () => assert.equal(readFileSync("src/answer.txt", "utf8").trim(), String(dep)));\n`);
    await repo.commitAll("node tests");
    const config = answerConfig([
      "agents:",
      `  good: { command: ${agentCommand("--write", "src/answer.txt=42")} }`,
      "default_agents: [good]",
      "lanes: 1",
      "setup:",
      "  - mkdir -p node_modules/dep && echo 'export default 42' > node_modules/dep/index.js && echo '{\"name\":\"dep\",\"type\":\"module\",\"main\":\"index.js\"}' > node_modules/dep/package.json",
      "evals:",
      `  - { name: unit, run: ${JSON.stringify([NODE, "--test", "--test-reporter=junit", "--test-reporter-destination=report.xml", "answer.test.mjs"])}, format: "junit:report.xml" }`,
    ].join("\n"));
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config, sandbox: await sandbox() });
    const lane = byLane(report, 1);
    expect(lane.status, notes(report)).toBe("passed");
    expect(lane.evals.map((e) => [e.name, e.passed, e.passed_count, e.failed_count])).toEqual([["unit", true, 1, 0]]);
    expect(await repo.git("show", `${lane.branch}:src/answer.txt`)).toBe("42");
    expect(await repo.git("ls-tree", "-r", "--name-only", lane.branch)).not.toContain("node_modules");
  });

  it("ends a lane that passes its memory cap as `limit`, and the other lane still wins", async () => {
    const config = answerConfig([
      "agents:",
      `  good: { command: ${agentCommand("--write", "src/answer.txt=42")} }`,
      `  hog: { command: ${MEMORY_HOG} }`,
      "default_agents: [hog, good]",
      "lanes: 2",
    ].join("\n"));
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config, sandbox: await sandbox({ memory_mb: 128 }) });
    expect(byLane(report, 1).status, notes(report)).toBe("limit");
    expect(byLane(report, 1).note).toContain("the agent hit the lane's memory cap and was stopped");
    expect(byLane(report, 2).status).toBe("passed");
    expect(report.winner).toBe(2);
  });

  it("ends a lane whose agent forks past the process cap as `limit`", async () => {
    const config = answerConfig(["agents:", `  bomb: { command: ${FORK_BOMB}, timeout: 60s }`, "default_agents: [bomb]", "lanes: 1"].join("\n"));
    const started = Date.now();
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config, sandbox: await sandbox({ pids: 32 }) });
    expect(byLane(report, 1).status, notes(report)).toBe("limit");
    expect(byLane(report, 1).note).toContain("process cap");
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("ends a lane whose setup passes the memory cap as `limit`, with the setup line named", async () => {
    const config = answerConfig([
      "agents:",
      `  good: { command: ${agentCommand("--write", "src/answer.txt=42")} }`,
      "default_agents: [good]",
      "lanes: 1",
      `setup: [${MEMORY_HOG}]`,
    ].join("\n"));
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config, sandbox: await sandbox({ memory_mb: 128 }) });
    expect(byLane(report, 1).status, notes(report)).toBe("limit");
    expect(byLane(report, 1).note).toMatch(/^setup `.*` hit the lane's memory cap and was stopped/);
  });

  it("does not start a lane when the disk holding the lanes has less than min_free_disk_mb free", async () => {
    const config = answerConfig(["agents:", `  good: { command: ${agentCommand("--write", "src/answer.txt=42")} }`, "default_agents: [good]", "lanes: 1"].join("\n"));
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config, sandbox: await sandbox({ min_free_disk_mb: 1024 * 1024 * 1024 }) });
    const lane = byLane(report, 1);
    expect(lane.status, notes(report)).toBe("limit");
    expect(lane.note).toMatch(/^not started: only \d+ MB free on the disk holding the lanes .*min_free_disk_mb/);
    expect(lane.head).toBeNull();
    expect(await repo.git("branch", "--list", lane.branch)).toBe("");
  });
});
