import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { opencodePermissionRejections, parseOpencodeOutput } from "../../../src/agents/parse-opencode-output.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/agent-output/${name}`, import.meta.url), "utf8");
const none = { isError: false, message: null, tokens: null, costUsd: null };
const jsonl = (...events: object[]) => events.map((event) => JSON.stringify(event)).join("\n");
const step = (tokens: object, cost = 0) => ({ type: "step_finish", part: { type: "step-finish", reason: "stop", tokens, cost } });
const text = (value: string) => ({ type: "text", part: { type: "text", text: value } });

describe("parseOpencodeOutput", () => {
  it.each([
    {
      // opencode-ai 1.18.33 against the Chat Completions stand-in, which served 23276 + 104 tokens.
      name: "real run (read, write, text): tokens summed over the steps, no price for a custom provider",
      stdout: fixture("opencode-run-json-success.jsonl"),
      expected: { isError: false, message: "Wrote hello.txt.", tokens: 23276 + 104, costUsd: null },
    },
    {
      name: "real HTTP 401: the error event, with the status",
      stdout: fixture("opencode-run-json-401.jsonl"),
      expected: { isError: true, message: "Incorrect API key provided (HTTP 401)", tokens: null, costUsd: null },
    },
    {
      // opencode splits the API's input into uncached input and cache reads/writes, and its output into output and reasoning.
      name: "cache and reasoning are parts of what was served",
      stdout: jsonl(step({ total: 180, input: 100, output: 20, reasoning: 10, cache: { read: 40, write: 10 } }, 0.5), text("one"), step({ input: 5, output: 5 }, 0.25)),
      expected: { isError: false, message: "one", tokens: 190, costUsd: 0.75 },
    },
    { name: "only a total", stdout: jsonl(step({ total: 42 })), expected: { isError: false, message: null, tokens: 42, costUsd: null } },
    { name: "an error followed by another step is not the outcome", stdout: jsonl({ type: "error", error: { name: "UnknownError", data: { message: "hiccup" } } }, text("ok"), step({ input: 1, output: 1 })), expected: { isError: false, message: "ok", tokens: 2, costUsd: null } },
    { name: "an error without data", stdout: jsonl(step({ input: 1, output: 1 }), { type: "error", error: { name: "ProviderAuthError" } }), expected: { isError: true, message: "ProviderAuthError", tokens: 2, costUsd: null } },
    { name: "blank text parts do not replace the message", stdout: jsonl(text("the answer"), text("  "), step({ input: 1, output: 1 })), expected: { isError: false, message: "the answer", tokens: 2, costUsd: null } },
    { name: "unknown events and noise ignored", stdout: `\u001b[93m! permission requested\n${jsonl({ type: "step_start", part: {} }, { type: "reasoning", part: { text: "hm" } })}\n`, expected: none },
    { name: "plain text", stdout: "opencode: command not found\n", expected: none },
    { name: "empty", stdout: "", expected: none },
  ])("$name", ({ stdout, expected }) => {
    expect(parseOpencodeOutput(stdout)).toEqual(expected);
  });
});

describe("opencodePermissionRejections", () => {
  it("names the tool calls `run` rejected (a real run with bash set to ask)", () => {
    expect(opencodePermissionRejections(fixture("opencode-run-json-permission-rejected.jsonl"))).toEqual(["bash"]);
  });

  it("is empty for a run without rejections, and for failed tool calls of other kinds", () => {
    expect(opencodePermissionRejections(fixture("opencode-run-json-success.jsonl"))).toEqual([]);
    expect(opencodePermissionRejections(jsonl({ type: "tool_use", part: { tool: "read", state: { status: "error", error: "File not found" } } }))).toEqual([]);
  });
});
