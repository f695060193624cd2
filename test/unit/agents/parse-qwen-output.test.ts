import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseQwenOutput, qwenPermissionDenials } from "../../../src/agents/parse-qwen-output.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/agent-output/${name}`, import.meta.url), "utf8");
const none = { isError: false, message: null, tokens: null, costUsd: null };
const result = (fields: object) => JSON.stringify({ type: "result", subtype: "success", is_error: false, ...fields });

describe("parseQwenOutput", () => {
  it.each([
    {
      // @qwen-code/qwen-code 0.24.4 against the Chat Completions stand-in, which served 26874 + 111 tokens.
      name: "real stream-json run (read_file, edit, text)",
      stdout: fixture("qwen-stream-json-success.jsonl"),
      expected: { isError: false, message: "Edited README.md.", tokens: 26874 + 111, costUsd: null },
    },
    {
      name: "real json run: one array of messages",
      stdout: fixture("qwen-json-success.json"),
      expected: { isError: false, message: "Edited README.md.", tokens: 26874 + 111, costUsd: null },
    },
    {
      name: "real HTTP 401: is_error with the API error",
      stdout: fixture("qwen-stream-json-401.jsonl"),
      expected: { isError: true, message: "[API Error: 401 Incorrect API key provided]", tokens: 0, costUsd: null },
    },
    {
      name: "cached input is part of input_tokens, not added again",
      stdout: result({ result: "ok", usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 80, total_tokens: 120 } }),
      expected: { isError: false, message: "ok", tokens: 120, costUsd: null },
    },
    { name: "only a total", stdout: result({ usage: { total_tokens: 9 } }), expected: { isError: false, message: null, tokens: 9, costUsd: null } },
    {
      name: "an error_* subtype is a failure even without is_error",
      stdout: result({ subtype: "error_max_turns", is_error: undefined }),
      expected: { isError: true, message: "error_max_turns", tokens: null, costUsd: null },
    },
    { name: "the last result wins", stdout: `${result({ result: "first" })}\n${result({ result: "second" })}\n`, expected: { isError: false, message: "second", tokens: null, costUsd: null } },
    { name: "no result (stopped mid-run)", stdout: fixture("qwen-stream-json-success.jsonl").split("\n").slice(0, 3).join("\n"), expected: none },
    { name: "plain text", stdout: "qwen: command not found\n", expected: none },
    { name: "empty", stdout: "", expected: none },
  ])("$name", ({ stdout, expected }) => {
    expect(parseQwenOutput(stdout)).toEqual(expected);
  });
});

describe("qwenPermissionDenials", () => {
  it("names the tool calls auto-edit refused (a real run that tried a shell command)", () => {
    expect(qwenPermissionDenials(fixture("qwen-stream-json-shell-denied.jsonl"))).toEqual(["run_shell_command"]);
    expect(parseQwenOutput(fixture("qwen-stream-json-shell-denied.jsonl"))).toMatchObject({ isError: false, message: "Could not run the command." });
  });

  it("is empty when nothing was refused", () => {
    expect(qwenPermissionDenials(fixture("qwen-stream-json-success.jsonl"))).toEqual([]);
  });
});
