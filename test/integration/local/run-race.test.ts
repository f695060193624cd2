import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runRace } from "../../../src/local/run-race.js";
import { RaceStore } from "../../../src/local/race-store.js";
import { agentCommand, answerConfig, createAnswerRepo } from "../../helpers/race-fixture.js";
import type { TempRepo } from "../../helpers/temp-repo.js";

let repo: TempRepo;
beforeEach(async () => {
  repo = await createAnswerRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

const threeAgents = answerConfig(
  [
    "agents:",
    `  fixer: { command: ${agentCommand("--sleep", "300", "--write", "src/answer.txt=42")} }`,
    `  breaker: { command: ${agentCommand("--write", "src/answer.txt=41")} }`,
    `  wanderer: { command: ${agentCommand("--write", "src/answer.txt=42", "--write", "docs/notes.md=hi\\nthere")} }`,
    "default_agents: [fixer, breaker, wanderer]",
    'scope: ["src/**"]',
  ].join("\n"),
);

describe("runRace", () => {
  it("races three scripted agents and ranks them by evals, scope and diff", async () => {
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config: threeAgents });

    expect(report.winner).toBe(1);
    expect(report.base).toBe("main");
    expect(report.base_sha).toMatch(/^[0-9a-f]{40}$/);
    expect(report.lanes.map((l) => [l.rank, l.lane, l.agent, l.status]), `notes: ${JSON.stringify(report.lanes.map((l) => l.note))}`).toEqual([
      [1, 1, "fixer", "passed"],
      [2, 3, "wanderer", "passed"],
      [3, 2, "breaker", "failed"],
    ]);
    const [fixer, wanderer, breaker] = report.lanes;
    expect(fixer).toMatchObject({ files_changed: 1, insertions: 1, deletions: 1, out_of_scope: [], score: 1, worktree: null });
    expect(fixer?.evals.map((e) => [e.name, e.passed, e.passed_count, e.failed_count])).toEqual([
      ["check", true, 1, 0],
      ["tests", true, 2, 0],
    ]);
    expect(wanderer).toMatchObject({ files_changed: 2, out_of_scope: ["docs/notes.md"] });
    expect(breaker?.evals.map((e) => [e.name, e.passed, e.passed_count, e.failed_count])).toEqual([
      ["check", false, 0, 1],
      ["tests", false, 1, 1],
    ]);
    expect(breaker?.score).toBeCloseTo(0.25);
    for (const lane of report.lanes) {
      expect(lane.branch).toMatch(new RegExp(`^agent-race/make-the-answer-42-${report.id}/${lane.lane}-${lane.agent}$`));
      expect(Object.keys(lane)).toEqual(expect.arrayContaining([
        "lane", "agent", "approach", "branch", "worktree", "status", "evals", "score", "files_changed",
        "out_of_scope", "insertions", "deletions", "duration_ms", "tokens", "cost_usd",
      ]));
    }

    // best mode keeps only the winner's branch, and the worktrees are gone.
    const branches = (await repo.git("branch", "--format=%(refname:short)")).split("\n").sort();
    expect(branches).toEqual([fixer?.branch, "main"].sort());
    expect(await repo.git("show", `${fixer?.branch}:src/answer.txt`)).toBe("42");
    expect((await repo.git("worktree", "list")).split("\n")).toHaveLength(1);

    // The race is recorded under .git/agent-race with each lane's log.
    const record = await new RaceStore(`${repo.dir}/.git`).get(report.id);
    expect(record).toMatchObject({ state: "done", report: { winner: 1 } });
    expect(await readdir(`${repo.dir}/.git/agent-race/logs/${report.id}`)).toEqual(
      expect.arrayContaining(["lane-1.log", "lane-2.log", "lane-3.log"]),
    );
  });

  it("keeps every passing lane's branch in compare mode and all worktrees with --keep", async () => {
    const config = { ...threeAgents, mode: "compare" as const };
    const report = await runRace({ cwd: repo.dir, task: "answer", config });
    const branches = (await repo.git("branch", "--format=%(refname:short)")).split("\n");
    expect(branches).toHaveLength(3); // main + two passing lanes
    expect(branches).not.toContain(report.lanes.find((l) => l.agent === "breaker")?.branch);

    const kept = await runRace({ cwd: repo.dir, task: "answer", config: threeAgents, keep: true });
    for (const lane of kept.lanes) expect(existsSync(lane.worktree ?? "missing")).toBe(true);
    expect(await readFile(`${kept.lanes[0]?.worktree}/src/answer.txt`, "utf8")).toBe("42");
  });

  it("gives each lane its approach hint, port and scope rule in the prompt", async () => {
    const dir = await import("node:os").then((os) => os.tmpdir());
    const config = answerConfig(
      [
        "agents:",
        `  echo: { command: ${agentCommand("--prompt-to", `${dir}/prompt-{lane}-${process.pid}.txt`, "--write", "src/answer.txt=42")} }`,
        "default_agents: [echo]",
        'scope: ["src/**"]',
        "ports: { base: 5000 }",
      ].join("\n"),
    );
    await runRace({ cwd: repo.dir, task: "Make it 42", config, approaches: ["use a trie", "use a hash map"] });
    const first = await readFile(`${dir}/prompt-1-${process.pid}.txt`, "utf8");
    const second = await readFile(`${dir}/prompt-2-${process.pid}.txt`, "utf8");
    expect(first).toContain("Make it 42");
    expect(first).toContain("Approach: use a trie");
    expect(second).toContain("Approach: use a hash map");
    expect(first).toContain("`src/**`");
  });
});
