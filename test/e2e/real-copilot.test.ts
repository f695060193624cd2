import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedAgentCli } from "../helpers/agent-clis.js";
import { chatCompletions } from "../helpers/fake-model/chat-completions.js";
import {
  agentTurns, bwrapAvailable, expectFixedOnEveryBranch, expectSilentLaneEnded, msAfterFirstRequest, NEW_LINES, OLD_LINE, raceRealAgent, type RealAgentRaces,
} from "../helpers/real-agent-race.js";

// The real GitHub Copilot CLI (pinned in test/agent-clis.json) races through the public CLI, each
// lane in the real lane sandbox, in its BYOK mode (a `base_url` becomes COPILOT_PROVIDER_BASE_URL,
// offline: no GitHub sign-in) against a local OpenAI Chat Completions stand-in: a scripted model that
// views and edits the file the eval checks through Copilot's own tools, one that answers 401 and one
// that never answers. Copilot's JSONL reports no tokens and no cost: the lanes show wall time.

const MODEL = "gpt-4.1";

const cli = bwrapAvailable ? installedAgentCli("copilot") : undefined;

describe.skipIf(!cli)("the real Copilot CLI, sandboxed, in BYOK mode against a Chat Completions stand-in", () => {
  let run: RealAgentRaces;
  beforeAll(async () => {
    run = await raceRealAgent({
      cli: cli!,
      route: chatCompletions,
      script: [
        { tool: "view", input: { path: "{cwd}/src/median.mjs" } },
        { tool: "edit", input: { path: "{cwd}/src/median.mjs", old_str: OLD_LINE, new_str: NEW_LINES } },
        { text: "Fixed median() for even-length arrays." },
      ],
      entry: `, model: ${MODEL}`,
      apiPath: "/v1",
      env: { COPILOT_PROVIDER_API_KEY: "sk-stand-in-copilot-key" },
      // In a fresh HOME Copilot first unpacks its 235 MB package (about 3 s) before its first request.
      silentTimeout: "12s",
    });
  }, 120_000);
  afterAll(async () => {
    await run?.close();
  });

  it("two lanes pass: Copilot viewed and edited the file through its own tools", async () => {
    expect(run.passing.result.exitCode, run.passing.result.stderr).toBe(0);
    expect(run.passing.lanes.map((l) => [l.status, l.evals.map((e) => e.passed), l.files_changed])).toEqual([["passed", [true], 1], ["passed", [true], 1]]);
    await expectFixedOnEveryBranch(run.passing);
    // Per lane: view, edit and the final text.
    expect(agentTurns(run.good)).toBe(6);
    // The provider key reached the stand-in; nothing tried GitHub (the notes record no refused network access).
    expect(run.good.requests.find((r) => r.path === "/v1/chat/completions")?.headers.authorization).toMatch(/^Bearer sk-st/);
    for (const lane of run.passing.lanes) expect(lane.note ?? "").not.toMatch(/refused/);
  });

  it("reports no tokens and no cost (Copilot's JSONL carries neither), so the lanes show their wall time", () => {
    expect(run.passing.lanes.map((l) => [l.tokens, l.cost_usd])).toEqual([[null, null], [null, null]]);
    for (const lane of run.passing.lanes) expect(lane.duration_ms).toBeGreaterThan(0);
  });

  it("a rejected key (HTTP 401) fails its lane within 10 s, saying so", () => {
    const lane = run.failing.lanes.find((l) => l.agent === "bad-key");
    expect(lane?.status).toBe("error");
    expect(lane?.note).toMatch(/Authentication failed with provider at http:\/\/127\.0\.0\.1:\d+\/v1 \(HTTP 401\)/);
    expect(msAfterFirstRequest(run.failing, lane!, run.bad)).toBeLessThan(10_000);
    // Copilot retries a 401 twice ("transient_auth_error"): three agent turns.
    expect(agentTurns(run.bad)).toBe(3);
  });

  it("a model that never answers is ended by the lane timeout, leaving no process behind", () => {
    expectSilentLaneEnded(run, "/v1/chat/completions");
  });
});
