import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runRace } from "../../../src/local/run-race.js";
import { renderTextReport } from "../../../src/report/render-text-report.js";
import type { LaneResult, RaceReport } from "../../../src/model/race-report.js";
import { agentCommand, answerConfig, createAnswerRepo } from "../../helpers/race-fixture.js";
import type { TempRepo } from "../../helpers/temp-repo.js";

let repo: TempRepo;
beforeEach(async () => {
  repo = await createAnswerRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

const byLane = (report: RaceReport, lane: number): LaneResult => report.lanes.find((l) => l.lane === lane) as LaneResult;
const notes = (report: RaceReport): string => JSON.stringify(report.lanes.map((l) => [l.lane, l.status, l.note]));

describe("cost budgets in a local race", () => {
  it("stops a lane's agent as soon as its reported cost reaches per_lane_usd, keeping its partial work", async () => {
    const config = answerConfig([
      "agents:",
      `  spender: { command: ${agentCommand("--write", "src/answer.txt=42", "--cost-stream", "0.1,0.3,0.5,0.7:1000", "--hang")}, output: claude-json, timeout: 30s }`,
      "default_agents: [spender]",
      "lanes: 1",
      "budget: { per_lane_usd: 0.25 }",
    ].join("\n"));
    const started = Date.now();
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config });
    const lane = byLane(report, 1);

    expect(lane.status, notes(report)).toBe("budget");
    expect(lane.note).toContain("stopped: budget per_lane_usd $0.25 reached ($0.30 spent)");
    // Stopped after the second report (~2 s) and its short grace, far from the 30 s timeout.
    expect(Date.now() - started).toBeLessThan(6000);
    expect(lane.cost_usd).toBe(0.3);
    expect(lane.evals).toEqual([]);
    expect(lane.head).toMatch(/^[0-9a-f]{40}$/);
    expect(report.winner).toBeNull();
    expect(renderTextReport(report)).toContain("Total spend: $0.30 reported by 1 lane");
  });

  it("stops every running lane when the race total reaches per_race_usd, and skips lanes not yet started", async () => {
    const config = answerConfig([
      "agents:",
      `  spender: { command: ${agentCommand("--write", "src/answer.txt=42", "--cost-stream", "0.2,0.4,0.6,0.8:700", "--hang")}, output: claude-json, timeout: 30s }`,
      `  quiet: { command: ${agentCommand("--write", "src/answer.txt=42", "--hang")}, timeout: 30s }`,
      "default_agents: [spender, quiet, quiet]",
      "lanes: 3",
      "budget: { per_race_usd: 0.5 }",
    ].join("\n"));
    const started = Date.now();
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config, parallel: 2 });

    expect(Date.now() - started).toBeLessThan(8000);
    expect(report.lanes.map((l) => l.status), notes(report)).toEqual(["budget", "budget", "budget"]);
    const [spender, quiet, unstarted] = [byLane(report, 1), byLane(report, 2), byLane(report, 3)];
    expect(spender.note).toContain("stopped: budget per_race_usd $0.50 reached ($0.60 spent)");
    expect(spender.cost_usd).toBeCloseTo(0.6);
    // The lane whose agent reports no cost is stopped with the race; its edit is still committed.
    expect(quiet.note).toContain("stopped: budget per_race_usd $0.50 reached");
    expect(quiet.cost_usd).toBeNull();
    expect(quiet.head).toMatch(/^[0-9a-f]{40}$/);
    expect(unstarted.note).toBe("not started: budget per_race_usd $0.50 reached ($0.60 spent)");
    expect(unstarted.head).toBeNull();
    expect(report.winner).toBeNull();
    // No lane branch survives: nothing passed (best mode keeps only a winner).
    expect((await repo.git("branch", "--format=%(refname:short)")).split("\n")).toEqual(["main"]);
  });

  it("lets a lane that finished on its own keep its result, and skips the next lane when it spent the race budget", async () => {
    const result = JSON.stringify({ type: "result", subtype: "success", is_error: false, result: "done", total_cost_usd: 0.9 });
    const config = answerConfig([
      "agents:",
      `  pricey: { command: ${agentCommand("--write", "src/answer.txt=42", "--json", result)}, output: claude-json }`,
      "default_agents: [pricey]",
      "lanes: 2",
      "budget: { per_race_usd: 0.5, per_lane_usd: 0.5 }",
    ].join("\n"));
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config, parallel: 1 });

    expect(byLane(report, 1), notes(report)).toMatchObject({ status: "passed", cost_usd: 0.9, note: "budget per_race_usd $0.50 reached ($0.90 spent) as the agent finished" });
    expect(byLane(report, 2)).toMatchObject({ status: "budget", head: null, note: "not started: budget per_race_usd $0.50 reached ($0.90 spent)" });
    expect(report.winner).toBe(1);
  });

  it("counts agents that report no cost by wall time only, and never stops them", async () => {
    const turn = JSON.stringify({ type: "turn.completed", usage: { input_tokens: 1200, cached_input_tokens: 1000, output_tokens: 300 } });
    const config = answerConfig([
      "agents:",
      `  plain: { command: ${agentCommand("--sleep", "600", "--write", "src/answer.txt=42")} }`,
      `  codexish: { command: ${agentCommand("--sleep", "600", "--write", "src/answer.txt=42", "--json", turn)}, output: codex-jsonl }`,
      "default_agents: [plain, codexish]",
      "lanes: 2",
      "budget: { per_race_usd: 0.01, per_lane_usd: 0.01 }",
    ].join("\n"));
    const report = await runRace({ cwd: repo.dir, task: "Make the answer 42", config });

    expect(report.lanes.map((l) => [l.lane, l.status, l.cost_usd]).sort(), notes(report)).toEqual([
      [1, "passed", null],
      [2, "passed", null],
    ]);
    expect(byLane(report, 2).tokens).toBe(1500);
    const text = renderTextReport(report);
    expect(text).toMatch(/\d+(\.\d)?s wall/);
    expect(text).toMatch(/Total spend: [\d.]+s wall time of 2 lanes without a reported cost/);
  });
});
