import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedAgentCli } from "../helpers/agent-clis.js";
import { anthropicMessages } from "../helpers/fake-model/anthropic-messages.js";
import { codexApplyPatch, openaiResponses } from "../helpers/fake-model/openai-responses.js";
import {
  agentTurns, bwrapAvailable, expectFixedOnEveryBranch, expectSilentLaneEnded, msAfterFirstRequest, NEW_LINES, OLD_LINE, raceRealAgent, type RealAgentRaces,
} from "../helpers/real-agent-race.js";

// The real Claude Code and Codex CLIs (pinned in test/agent-clis.json) race through the public CLI,
// each lane in the real lane sandbox, against local stand-ins of their model APIs: a scripted model
// that edits the file the eval checks, one that answers 401 and one that never answers.

/** Claude Code's list price for claude-haiku-4-5, in USD per token (input, output): what its own price table charges. */
const HAIKU_USD_PER_TOKEN = { input: 1 / 1_000_000, output: 5 / 1_000_000 };

const claude = bwrapAvailable ? installedAgentCli("claude") : undefined;
const codex = bwrapAvailable ? installedAgentCli("codex") : undefined;

/** Both CLIs' races start at once (each takes about 5 s, mostly the silent lane's timeout); each describe awaits its own. */
const runs: { claude?: Promise<RealAgentRaces>; codex?: Promise<RealAgentRaces> } = {};
beforeAll(() => {
  if (claude) {
    runs.claude = raceRealAgent({
      cli: claude,
      route: anthropicMessages,
      script: [
        // Two overloaded answers before the first turn (of either lane): CLAUDE_CODE_MAX_RETRIES=2 rides them out.
        { error: { status: 529, times: 2 } },
        { tool: "Read", input: { file_path: "{cwd}/src/median.mjs" } },
        { tool: "Edit", input: { file_path: "{cwd}/src/median.mjs", old_string: OLD_LINE, new_string: NEW_LINES } },
        { text: "Fixed median() for even-length arrays." },
      ],
      entry: ", model: claude-haiku-4-5",
      apiPath: "",
      env: { ANTHROPIC_API_KEY: "sk-ant-stand-in-key" },
    });
  }
  if (codex) {
    runs.codex = raceRealAgent({
      cli: codex,
      route: openaiResponses,
      script: [
        // Two server errors before the first turn: stream_max_retries=2 rides them out.
        { error: { status: 500, times: 2 } },
        codexApplyPatch(`*** Begin Patch\n*** Update File: src/median.mjs\n@@\n export function median(xs) {\n   const s = [...xs].sort((a, b) => a - b);\n-${OLD_LINE}\n${NEW_LINES.split("\n").map((l) => `+${l}`).join("\n")}\n }\n*** End Patch\n`),
        { text: "Fixed median() for even-length arrays." },
      ],
      entry: "",
      apiPath: "/v1",
      env: { OPENAI_API_KEY: "sk-stand-in-key" },
    });
  }
  // Awaited by the describes below; a failure is reported there, not as an unhandled rejection.
  for (const promise of Object.values(runs)) promise.catch(() => undefined);
});
afterAll(async () => {
  await Promise.all(Object.values(runs).map(async (promise) => (await promise.catch(() => undefined))?.close()));
});

describe.skipIf(!claude)("the real Claude Code CLI, sandboxed, against an Anthropic Messages stand-in", () => {
  let run: RealAgentRaces;
  beforeAll(async () => {
    run = await (runs.claude as Promise<RealAgentRaces>);
  }, 120_000);

  it("two lanes pass: Claude Code read and edited the file through its own tools, after retrying the overload", async () => {
    expect(run.passing.result.exitCode, run.passing.result.stderr).toBe(0);
    expect(run.passing.lanes.map((l) => [l.status, l.evals.map((e) => e.passed), l.files_changed])).toEqual([["passed", [true], 1], ["passed", [true], 1]]);
    await expectFixedOnEveryBranch(run.passing);
    // Three answered turns a lane, plus the two 529s.
    expect(run.good.served.answers).toBe(6);
    expect(agentTurns(run.good)).toBe(8);
    // The lane's key reached the model API, and its notes record no refused network access.
    expect(run.good.requests.find((r) => r.path === "/v1/messages")?.headers["x-api-key"]).toMatch(/^sk-ant-stand/);
    for (const lane of run.passing.lanes) expect(lane.note ?? "").not.toMatch(/refused/);
  });

  it("reports exactly the tokens the stand-in served, and the cost Claude Code's price table makes of them", () => {
    const { served } = run.good;
    const tokens = run.passing.lanes.map((l) => l.tokens ?? 0);
    expect(tokens.every((t) => t > 0)).toBe(true);
    expect(tokens[0]! + tokens[1]!).toBe(served.inputTokens + served.outputTokens);
    const cost = run.passing.lanes.map((l) => l.cost_usd ?? 0);
    expect(cost.every((c) => c > 0)).toBe(true);
    expect(cost[0]! + cost[1]!).toBeCloseTo(served.inputTokens * HAIKU_USD_PER_TOKEN.input + served.outputTokens * HAIKU_USD_PER_TOKEN.output, 9);
  });

  it("an invalid key (HTTP 401) fails its lane within 10 s, saying so", () => {
    const lane = run.failing.lanes.find((l) => l.agent === "bad-key");
    expect(lane?.status).toBe("error");
    expect(lane?.note).toMatch(/API Error: 401 Incorrect API key provided/);
    expect(msAfterFirstRequest(run.failing, lane!, run.bad)).toBeLessThan(10_000);
    // CLAUDE_CODE_MAX_RETRIES=2: the first try and two retries.
    expect(run.bad.requests.filter((r) => r.path === "/v1/messages")).toHaveLength(3);
  });

  it("a model that never answers is ended by the lane timeout, leaving no process behind", () => {
    expectSilentLaneEnded(run, "/v1/messages");
  });
});

describe.skipIf(!codex)("the real Codex CLI, sandboxed, against an OpenAI Responses stand-in", () => {
  let run: RealAgentRaces;
  beforeAll(async () => {
    run = await (runs.codex as Promise<RealAgentRaces>);
  }, 120_000);

  it("two lanes pass: Codex patched the file through its own exec tool, after retrying the server error", async () => {
    expect(run.passing.result.exitCode, run.passing.result.stderr).toBe(0);
    expect(run.passing.lanes.map((l) => [l.status, l.evals.map((e) => e.passed), l.files_changed])).toEqual([["passed", [true], 1], ["passed", [true], 1]]);
    await expectFixedOnEveryBranch(run.passing);
    expect(run.good.served.answers).toBe(4);
    expect(agentTurns(run.good)).toBe(6);
    expect(run.good.requests.find((r) => r.path === "/v1/responses")?.headers.authorization).toMatch(/^Bearer sk-st/);
    for (const lane of run.passing.lanes) expect(lane.note ?? "").not.toMatch(/refused/);
  });

  it("reports exactly the tokens the stand-in served, and no cost (Codex reports none)", () => {
    const { served } = run.good;
    const tokens = run.passing.lanes.map((l) => l.tokens ?? 0);
    expect(tokens.every((t) => t > 0)).toBe(true);
    expect(tokens[0]! + tokens[1]!).toBe(served.inputTokens + served.outputTokens);
    expect(run.passing.lanes.map((l) => l.cost_usd)).toEqual([null, null]);
  });

  it("an invalid key (HTTP 401) fails its lane within 10 s, saying so", () => {
    const lane = run.failing.lanes.find((l) => l.agent === "bad-key");
    expect(lane?.status).toBe("error");
    expect(lane?.note).toMatch(/401 Unauthorized: Incorrect API key/);
    expect(msAfterFirstRequest(run.failing, lane!, run.bad)).toBeLessThan(10_000);
    // stream_max_retries=2: the first try and two retries.
    expect(run.bad.requests.filter((r) => r.path === "/v1/responses")).toHaveLength(3);
  });

  it("a model that never answers is ended by the lane timeout, leaving no process behind", () => {
    expectSilentLaneEnded(run, "/v1/responses");
  });
});
