import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerOverlapCommand } from "../../../src/cli/overlap-command.js";
import { parseRepoConfig } from "../../../src/config/parse-repo-config.js";
import type { LocalOverlapReport } from "../../../src/overlap/find-local-overlaps.js";
import type { RaceReport } from "../../../src/model/race-report.js";
import { runRace } from "../../../src/local/run-race.js";
import { agentCommand } from "../../helpers/race-fixture.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

/** Ten lines; `change` replaces some (1-based). As the scripted agent's `--write` text, newlines are `\n`. */
const lines = (name: string, change: Record<number, string> = {}): string =>
  Array.from({ length: 10 }, (_, i) => change[i + 1] ?? `${name} ${i + 1}`).join("\n") + "\n";
const agentText = (text: string): string => text.replace(/\n/g, "\\n");

let repo: TempRepo;
let older: RaceReport;
let newer: RaceReport;

async function overlap(...args: string[]): Promise<string> {
  let out = "";
  const program = new Command("agent-race").exitOverride();
  registerOverlapCommand(program, { cwd: () => repo.dir, write: (text) => void (out += text) });
  await program.parseAsync(["overlap", ...args], { from: "user" });
  return out;
}

/** A local branch off main that writes `files`. */
async function branch(name: string, files: Record<string, string>): Promise<void> {
  await repo.git("checkout", "-q", "-b", name, "main");
  for (const [path, content] of Object.entries(files)) await repo.write(path, content);
  await repo.commitAll(name);
  await repo.git("checkout", "-q", "main");
}

beforeAll(async () => {
  repo = await createTempRepo({ "src/app.txt": lines("app"), "src/util.txt": lines("util"), "docs/x.md": "x\n" });
  const config = (agents: Record<string, string>, mode: "best" | "compare") =>
    parseRepoConfig(
      [
        "agents:",
        ...Object.entries(agents).map(([name, command]) => `  ${name}: { command: ${command} }`),
        `default_agents: [${Object.keys(agents).join(", ")}]`,
        `mode: ${mode}`,
        `lanes: ${Object.keys(agents).length}`,
      ].join("\n"),
      "test-config.yml",
    );
  // The older race keeps one lane branch that rewrites the last line of src/util.txt.
  older = await runRace({ cwd: repo.dir, task: "tidy util", config: config({ tidy: agentCommand("--write", `src/util.txt=${agentText(lines("util", { 10: "tidied" }))}`) }, "best") });
  await new Promise((resolve) => setTimeout(resolve, 20)); // distinct created_at
  newer = await runRace({
    cwd: repo.dir,
    task: "fix app",
    config: config({
      app: agentCommand("--write", `src/app.txt=${agentText(lines("app", { 1: "fixed" }))}`),
      util: agentCommand("--write", `src/util.txt=${agentText(lines("util", { 10: "rewritten" }))}`),
    }, "compare"),
  });
  await branch("feature-clean", { "src/app.txt": lines("app", { 10: "feature" }) });
  await branch("feature-conflict", { "src/app.txt": lines("app", { 1: "other fix" }) });
  await branch("docs", { "docs/x.md": "y\n" });
}, 120_000);

afterAll(async () => {
  await repo.cleanup();
});

describe("agent-race overlap", () => {
  it("compares the newest race's lanes with every other local branch (--json)", async () => {
    const report = JSON.parse(await overlap("--json")) as LocalOverlapReport;
    const olderBranch = older.lanes[0]?.branch ?? "";
    expect(report).toMatchObject({ race: newer.id, base: "main", other_branches: 4 });
    expect(report.lanes.map((l) => [l.lane, l.agent, l.files])).toEqual([[1, "app", ["src/app.txt"]], [2, "util", ["src/util.txt"]]]);
    expect(report.overlaps.map((o) => [o.lane, o.other, o.other_race, o.files, o.kind, o.conflicts])).toEqual([
      [1, "feature-clean", null, ["src/app.txt"], "clean", []],
      [1, "feature-conflict", null, ["src/app.txt"], "conflict", ["src/app.txt"]],
      [2, olderBranch, older.id, ["src/util.txt"], "conflict", ["src/util.txt"]],
    ]);
  });

  it("prints a table, for a race given by id", async () => {
    const text = await overlap(older.id);
    const newerUtil = newer.lanes.find((l) => l.agent === "util")?.branch ?? "";
    expect(text).toBe(
      [
        `Race ${older.id} (base main): 1 lane branch against 5 other branches.`,
        "",
        `LANE  ${"OTHER BRANCH".padEnd(newerUtil.length + newer.id.length + 8)}  RESULT                  SHARED FILES`,
        `1     ${newerUtil} (race ${newer.id})  conflict: src/util.txt  src/util.txt`,
        "",
      ].join("\n"),
    );
  });

  it("says so when nothing overlaps, and refuses an unknown race", async () => {
    await repo.git("branch", "-q", "-D", "feature-clean", "feature-conflict", newer.lanes.find((l) => l.agent === "util")?.branch ?? "");
    await repo.git("branch", "-q", "-D", older.lanes[0]?.branch ?? "");
    expect(await overlap()).toMatch(/^Race \w+ \(base main\): 1 lane branch against 1 other branch\.\nLane 2: branch .* is gone \(not checked\)\.\nNo overlaps/);
    await expect(overlap("nosuchrace")).rejects.toThrow(/no race "nosuchrace"/);
  });
});
