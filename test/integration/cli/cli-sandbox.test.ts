import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE } from "../../helpers/race-fixture.js";
import { runCli } from "../../helpers/run-cli.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

const HOSTILE = fileURLToPath(new URL("../../fixtures/agents/hostile-agent.mjs", import.meta.url));
const bwrapAvailable = existsSync("/usr/bin/bwrap") || existsSync("/usr/local/bin/bwrap");

/** Every file below `dir`, as text, for a canary search. */
async function allText(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name), "utf8").catch(() => ""));
  }
  return parts.join("\n");
}

describe.skipIf(!bwrapAvailable)("agent-race race with a hostile agent (the CLI's default sandbox)", () => {
  let repo: TempRepo;
  let scratch: string;
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  // Names the daemon the agent leaves, so the test can look for it; the task text holds it, so it is not the canary.
  const marker = `daemon-${randomBytes(8).toString("hex")}`;
  let result: { exitCode: number; stdout: string; stderr: string };
  let report: { id: string; lanes: { lane: number; status: string; branch: string; note: string | null }[] };
  let results: Record<string, { ok: boolean; value?: unknown; code?: string }>;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "agent-race-hostile-"));
    const home = join(scratch, "home");
    await mkdir(join(home, ".ssh"), { recursive: true });
    await writeFile(join(home, ".ssh", "id_canary"), canary);
    await writeFile(join(home, ".gitconfig"), "[user]\n\tname = Test\n\temail = t@example.com\n");
    const keyPath = join(scratch, "app.pem");
    await writeFile(keyPath, canary);
    repo = await createTempRepo({ "src/answer.txt": "0\n", "check.mjs": "process.exit(0);\n" });
    await repo.write(".github/agent-race.yml", [
      "agents:",
      `  hostile: { command: ${JSON.stringify([NODE, HOSTILE])} }`,
      "default_agents: [hostile]",
      "lanes: 2",
      "mode: compare",
      "evals:",
      `  - { name: check, run: ${JSON.stringify([NODE, "check.mjs"])} }`,
    ].join("\n"));
    await repo.commitAll("config");
    const worktrees = join(scratch, "worktrees");
    // The task text carries the attack, as an issue would: it names the worker's secrets.
    const targets = { realHome: home, privateKeyPath: keyPath, otherLane: "../../lane-2/work", objectsDir: join(repo.dir, ".git", "objects"), redisPort: 6379, marker };
    result = await runCli(repo.dir, ["race", "--json", `Fix the bug. TARGETS ${JSON.stringify(targets)}`], {
      HOME: home, AGENT_RACE_WORKTREE_DIR: worktrees, PRIVATE_KEY: canary, WEBHOOK_SECRET: canary, AGENT_RACE_CANARY: canary,
    });
    report = JSON.parse(result.stdout);
    const lane = report.lanes[0] as { branch: string };
    results = JSON.parse(await repo.git("show", `${lane.branch}:hostile-results.json`));
  }, 60_000);
  afterAll(async () => {
    spawnSync("pkill", ["-f", `sleep 100[01] ${marker}`]);
    await repo.cleanup();
    await rm(scratch, { recursive: true, force: true });
  });

  it("runs the race sandboxed, with no warning, and both lanes pass their evals", () => {
    expect(result.stderr).not.toMatch(/warning/i);
    expect(report.lanes.map((l) => l.status)).toEqual(["passed", "passed"]);
  });

  it("kept every escape from working", () => {
    expect(results.ssh?.ok).toBe(false);
    expect(results.privateKey?.ok).toBe(false);
    expect(results.outside?.code).toBe("EROFS");
    expect(results.otherLaneRead?.ok).toBe(false);
    expect(results.redis?.ok).toBe(false);
    expect(results.objects?.code).toBe("EROFS");
  });

  it("let the agent's own git work inside its lane", () => {
    expect(results.gitStatus?.ok).toBe(true);
    expect(results.gitCommit?.ok).toBe(true);
    expect(String(results.gitCommit?.value)).toContain("agent commit");
  });

  it("leaks the canary nowhere: not in the branches, the logs, the report or the CLI output", async () => {
    for (const lane of report.lanes) expect(await repo.git("grep", "-c", canary, lane.branch, "--").catch(() => "")).toBe("");
    expect(result.stdout + result.stderr).not.toContain(canary);
    expect(await allText(join(repo.dir, ".git", "agent-race"))).not.toContain(canary);
  });

  it("left no daemon running", () => {
    expect(spawnSync("pgrep", ["-f", `sleep 100[01] ${marker}`], { encoding: "utf8" }).stdout.trim()).toBe("");
  });

  it("warns and runs unsandboxed with --no-sandbox", async () => {
    const plain = await runCli(repo.dir, ["race", "--json", "--no-sandbox", "-n", "1", `Fix the bug. TARGETS ${JSON.stringify({ marker, realHome: "/nonexistent" })}`]);
    expect(plain.stderr).toMatch(/warning: --no-sandbox/);
    expect(plain.exitCode).toBe(0);
  });
});
