import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { claudeLineCost, parseClaudeOutput } from "../../../src/agents/parse-claude-output.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/agent-output/${name}`, import.meta.url), "utf8");
const none = { isError: false, message: null, tokens: null, costUsd: null };
const line = (fields: Record<string, unknown>) => JSON.stringify({ type: "result", ...fields });

describe("parseClaudeOutput", () => {
  it.each([
    {
      name: "real 2.1.332 run (Read, Edit, text against a stand-in): tokens are the usage summed over its 3 model calls",
      stdout: fixture("claude-2.1.332.json"),
      expected: { isError: false, message: "Fixed median() for even-length arrays.", tokens: 66225 + 122, costUsd: 0.066835 },
    },
    {
      name: "real 2.1.332 run with an invalid key (401): is_error, exit 1, the CLI's own words",
      stdout: fixture("claude-2.1.332-invalid-key.json"),
      expected: { isError: true, message: "Invalid API key · Fix external API key", tokens: 0, costUsd: 0 },
    },
    { name: "real not-logged-in output: subtype success but is_error", stdout: fixture("claude-print-json-not-logged-in.json"), expected: { isError: true, message: "Not logged in · Please run /login", tokens: 0, costUsd: 0 } },
    {
      name: "successful json result",
      stdout: fixture("claude-print-json-success.json"),
      expected: { isError: false, message: "Fixed the off-by-one in `parseRange` (src/range.ts) and added a regression test; `npm test` passes.", tokens: 31 + 6210 + 84117 + 1742, costUsd: 0.1873 },
    },
    { name: "stream-json: the final result event", stdout: fixture("claude-stream-json-success.jsonl"), expected: { isError: false, message: "Fixed the off-by-one.", tokens: 31 + 2048 + 10240 + 250, costUsd: 0.0412 } },
    {
      name: "stream-json with streamed input: one result per turn, the last total counts",
      stdout: fixture("claude-stream-json-multi-turn.jsonl"),
      expected: { isError: false, message: "All 14 tests pass.", tokens: 54 + 2560 + 21504 + 333, costUsd: 0.0935 },
    },
    {
      name: "stream-json stopped by --max-budget-usd: an error, with the cost spent",
      stdout: fixture("claude-stream-json-budget-error.jsonl"),
      expected: { isError: true, message: "Reached maximum budget ($0.5)", tokens: 88 + 4096 + 40960 + 1210, costUsd: 0.5031 },
    },
    { name: "older versions' cost_usd", stdout: fixture("claude-print-json-legacy-cost.json"), expected: { isError: false, message: "Renamed the helper and updated its two callers.", tokens: null, costUsd: 0.0236 } },
    { name: "preceded by other lines", stdout: `warning: something\n${line({ is_error: false, result: "ok", total_cost_usd: 0.5 })}\n`, expected: { isError: false, message: "ok", tokens: null, costUsd: 0.5 } },
    { name: "the last result wins", stdout: `${line({ result: "first" })}\n${line({ result: "second" })}\n`, expected: { ...none, message: "second" } },
    {
      name: "--verbose json array of messages",
      stdout: JSON.stringify([{ type: "system", subtype: "init" }, { type: "result", is_error: false, result: "done", usage: { input_tokens: 5, output_tokens: 7 } }]),
      expected: { isError: false, message: "done", tokens: 12, costUsd: null },
    },
    { name: "pretty-printed object", stdout: JSON.stringify({ type: "result", is_error: false, result: "x", total_cost_usd: 0.01 }, null, 2), expected: { isError: false, message: "x", tokens: null, costUsd: 0.01 } },
    { name: "error subtype without a result text", stdout: line({ subtype: "error_max_turns", is_error: true, num_turns: 10 }), expected: { ...none, isError: true, message: "error_max_turns" } },
    { name: "bad field types are dropped, not fatal", stdout: line({ is_error: "yes", result: 3, total_cost_usd: "0.2", usage: "n/a" }), expected: none },
    { name: "plain text", stdout: "Not logged in\n", expected: none },
    { name: "JSON without a result event", stdout: '{"type":"system","subtype":"init"}\n', expected: none },
    { name: "empty", stdout: "", expected: none },
    { name: "truncated JSON", stdout: '{"type":"result","is_error":fal', expected: none },
  ])("$name", ({ stdout, expected }) => {
    expect(parseClaudeOutput(stdout)).toEqual(expected);
  });
});

describe("claudeLineCost", () => {
  const costs = (name: string) => fixture(name).split("\n").map(claudeLineCost).filter((cost) => cost !== null);

  it("reads the cumulative cost of each result event as the lines arrive", () => {
    expect(costs("claude-stream-json-multi-turn.jsonl")).toEqual([0.0412, 0.0935]);
    expect(costs("claude-stream-json-success.jsonl")).toEqual([0.0412]);
    expect(costs("claude-print-json-success.json")).toEqual([0.1873]);
    expect(costs("claude-print-json-legacy-cost.json")).toEqual([0.0236]);
    expect(costs("claude-2.1.332.json")).toEqual([0.066835]);
  });

  it("finds no cost in Codex output, which reports tokens only", () => {
    expect(costs("codex-exec-json-success.jsonl")).toEqual([]);
    expect(costs("codex-exec-json-no-network.jsonl")).toEqual([]);
    expect(costs("codex-0.171.0.jsonl")).toEqual([]);
  });

  it.each([
    ["an assistant event", JSON.stringify({ type: "assistant", total_cost_usd: 3 })],
    ["a cost that is not a number", line({ total_cost_usd: "0.2" })],
    ["a negative cost", line({ total_cost_usd: -1 })],
    ["a truncated line", '{"type":"result","total_cost_usd":0.'],
    ["plain text that mentions cost_usd", "total_cost_usd: 5"],
  ])("ignores %s", (_name, text) => {
    expect(claudeLineCost(text)).toBeNull();
  });
});
