import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedAgentCli } from "../helpers/agent-clis.js";
import { chatCompletions } from "../helpers/fake-model/chat-completions.js";
import type { ScriptStep } from "../helpers/fake-model/model-server.js";
import {
  agentTurns, bwrapAvailable, expectFixedOnEveryBranch, expectSilentLaneEnded, isAgentTurn, msAfterFirstRequest, NEW_LINES, OLD_LINE, raceRealAgent, type RealAgentRaces,
} from "../helpers/real-agent-race.js";

// The real opencode and Qwen Code CLIs (pinned in test/agent-clis.json) race through the public CLI,
// each lane in the real lane sandbox, with `base_url` pointing the preset at a local Chat
// Completions stand-in: a scripted model that edits the file the eval checks (after two 429s, which
// the CLI's own retry rides out), one that answers 401, one that never answers.

const RATE_LIMITED: ScriptStep = { error: { status: 429, message: "Rate limit reached for requests", times: 2 } };
const DONE: ScriptStep = { text: "Fixed median() for even-length arrays." };

const CLIS = [
  {
    name: "opencode",
    title: "opencode",
    script: [
      RATE_LIMITED,
      { tool: "read", input: { filePath: "{cwd}/src/median.mjs" } },
      { tool: "edit", input: { filePath: "{cwd}/src/median.mjs", oldString: OLD_LINE, newString: NEW_LINES } },
      DONE,
    ],
    /** The request the preset's provider makes of base_url. */
    request: { model: "stand-in-coder", stream: true },
    /** Only the plugin install opencode starts in the background asks for the network, and is refused. */
    expectedRefusal: /network access refused by the sandbox: registry\.npmjs\.org:443/,
    unauthorized: /Incorrect API key provided \(HTTP 401\)/,
    costNote: "a provider of its own has no prices",
  },
  {
    name: "qwen",
    title: "Qwen Code",
    script: [
      RATE_LIMITED,
      // Bare mode's tools: read_file, edit, run_shell_command (edit refuses a file not read first).
      { tool: "read_file", input: { file_path: "{cwd}/src/median.mjs" } },
      { tool: "edit", input: { file_path: "{cwd}/src/median.mjs", old_string: OLD_LINE, new_string: NEW_LINES } },
      DONE,
    ],
    // The endpoint the preset set as OPENAI_BASE_URL, asked for the usage of the stream.
    request: { model: "stand-in-coder", stream: true, stream_options: { include_usage: true } },
    expectedRefusal: null,
    unauthorized: /\[API Error: 401 Incorrect API key provided\]/,
    costNote: "Qwen Code reports none",
  },
] as const;

for (const target of CLIS) {
  const cli = bwrapAvailable ? installedAgentCli(target.name) : undefined;

  describe.skipIf(!cli)(`the real ${target.title} CLI, sandboxed, against a Chat Completions stand-in`, () => {
    let run: RealAgentRaces;
    beforeAll(async () => {
      run = await raceRealAgent({
        cli: cli!, route: chatCompletions, script: [...target.script], entry: ", model: stand-in-coder", apiPath: "/v1", env: { OPENAI_API_KEY: "sk-stand-in-key" },
      });
    }, 120_000);
    afterAll(async () => {
      await run?.close();
    });

    it(`two lanes pass: ${target.title} read and edited the file through its own tools, after retrying the rate limit`, async () => {
      expect(run.passing.result.exitCode, run.passing.result.stderr).toBe(0);
      expect(run.passing.lanes.map((l) => [l.status, l.evals.map((e) => e.passed), l.files_changed])).toEqual([["passed", [true], 1], ["passed", [true], 1]]);
      await expectFixedOnEveryBranch(run.passing);
      // Three answered turns a lane (read, edit, text), plus the two 429s.
      expect(run.good.served.answers).toBe(6);
      expect(agentTurns(run.good)).toBe(8);
      const turn = run.good.requests.find((r) => isAgentTurn(r.body));
      expect(turn?.headers.authorization).toMatch(/^Bearer sk-st/);
      expect(turn?.body).toMatchObject(target.request);
      for (const lane of run.passing.lanes) {
        const note = target.expectedRefusal ? (lane.note ?? "").replace(target.expectedRefusal, "") : lane.note ?? "";
        expect(note).not.toMatch(/refused/);
      }
    });

    it(`reports exactly the tokens the stand-in served, and no cost (${target.costNote})`, () => {
      const tokens = run.passing.lanes.map((l) => l.tokens ?? 0);
      expect(tokens.every((t) => t > 0)).toBe(true);
      expect(tokens[0]! + tokens[1]!).toBe(run.good.served.inputTokens + run.good.served.outputTokens);
      expect(run.passing.lanes.map((l) => l.cost_usd)).toEqual([null, null]);
    });

    it("an invalid key (HTTP 401) fails its lane within 10 s, saying so, without retrying", () => {
      const lane = run.failing.lanes.find((l) => l.agent === "bad-key");
      expect(lane?.status).toBe("error");
      expect(lane?.note).toMatch(target.unauthorized);
      expect(msAfterFirstRequest(run.failing, lane!, run.bad)).toBeLessThan(10_000);
      expect(agentTurns(run.bad)).toBe(1);
    });

    it("a model that never answers is ended by the lane timeout, leaving no process behind", () => {
      expectSilentLaneEnded(run, "/v1/chat/completions");
    });
  });
}
