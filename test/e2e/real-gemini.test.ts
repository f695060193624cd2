import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedAgentCli } from "../helpers/agent-clis.js";
import { geminiApi } from "../helpers/fake-model/gemini-api.js";
import {
  agentTurns, bwrapAvailable, expectFixedOnEveryBranch, expectSilentLaneEnded, msAfterFirstRequest, NEW_LINES, OLD_LINE, raceRealAgent, type RealAgentRaces,
} from "../helpers/real-agent-race.js";

// The real Gemini CLI (pinned in test/agent-clis.json) races through the public CLI, each lane in
// the real lane sandbox, against a local stand-in of the Gemini API (GOOGLE_GEMINI_BASE_URL): a
// scripted model that reads and edits the file the eval checks, one that answers what Google answers
// a bad key (HTTP 400 INVALID_ARGUMENT, API_KEY_INVALID) and one that never answers.

const cli = bwrapAvailable ? installedAgentCli("gemini") : undefined;

describe.skipIf(!cli)("the real Gemini CLI, sandboxed, against a Gemini API stand-in", () => {
  let run: RealAgentRaces;
  beforeAll(async () => {
    run = await raceRealAgent({
      cli: cli!,
      route: geminiApi,
      script: [
        { tool: "read_file", input: { file_path: "{cwd}/src/median.mjs" } },
        { tool: "replace", input: { file_path: "{cwd}/src/median.mjs", old_string: OLD_LINE, new_string: NEW_LINES, instruction: "Average the two middle values for even lengths." } },
        { text: "Fixed median() for even-length arrays." },
      ],
      entry: "",
      apiPath: "",
      env: { GEMINI_API_KEY: "stand-in-gemini-key" },
      // What Google answers a bad API key: HTTP 400 API_KEY_INVALID (the stand-in's error body for 400).
      badKey: { error: { status: 400 } },
    });
  }, 120_000);
  afterAll(async () => {
    await run?.close();
  });

  it("two lanes pass: Gemini CLI read and edited the file through its own tools", async () => {
    expect(run.passing.result.exitCode, run.passing.result.stderr).toBe(0);
    expect(run.passing.lanes.map((l) => [l.status, l.evals.map((e) => e.passed), l.files_changed])).toEqual([["passed", [true], 1], ["passed", [true], 1]]);
    await expectFixedOnEveryBranch(run.passing);
    // Per lane: the auto-router's side call, then read_file, replace and the final text.
    expect(agentTurns(run.good)).toBe(6);
    expect(run.good.served.answers).toBe(8);
    // The lane's key reached the model API, and the lane notes record no refused network access (no usage statistics).
    expect(run.good.requests.find((r) => r.path.endsWith(":streamGenerateContent"))?.headers["x-goog-api-key"]).toMatch(/^stand-in-gem/);
    for (const lane of run.passing.lanes) expect(lane.note ?? "").not.toMatch(/refused/);
  });

  it("reports exactly the tokens the stand-in served (the router's included), and no cost (Gemini CLI reports none)", () => {
    const tokens = run.passing.lanes.map((l) => l.tokens ?? 0);
    expect(tokens.every((t) => t > 0)).toBe(true);
    expect(tokens[0]! + tokens[1]!).toBe(run.good.served.inputTokens + run.good.served.outputTokens);
    expect(run.passing.lanes.map((l) => l.cost_usd)).toEqual([null, null]);
  });

  it("a bad key (HTTP 400 API_KEY_INVALID) fails its lane within 10 s, saying so, without retrying", () => {
    const lane = run.failing.lanes.find((l) => l.agent === "bad-key");
    expect(lane?.status).toBe("error");
    expect(lane?.note).toMatch(/API key not valid\. Please pass a valid API key\. \(400 INVALID_ARGUMENT, API_KEY_INVALID\)/);
    expect(msAfterFirstRequest(run.failing, lane!, run.bad)).toBeLessThan(10_000);
    // Never retried: one side call (the router) and one agent turn.
    expect(run.bad.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("a model that never answers is ended by the lane timeout, leaving no process behind", () => {
    expectSilentLaneEnded(run, /:streamGenerateContent$|:generateContent$/);
  });
});
