import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAgentOutput } from "../../../src/agents/parse-agent-output.js";
import { parseGeminiOutput } from "../../../src/agents/parse-gemini-output.js";

// The fixtures are real output of @google/gemini-cli 0.61.0 (`--output-format stream-json`, and one
// `--output-format json`) against local Gemini API stand-ins: the scripted model, and servers answering
// what generativelanguage.googleapis.com answers a bad key (400 INVALID_ARGUMENT, API_KEY_INVALID), a
// bad OAuth token (401 UNAUTHENTICATED) and an exhausted quota (429, after general.maxAttempts: 3).
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/agent-output/${name}`, import.meta.url), "utf8");
const none = { isError: false, message: null, tokens: null, costUsd: null };
const jsonl = (...events: object[]) => events.map((event) => JSON.stringify(event)).join("\n");
const result = (status: string, extra: object = {}) => ({ type: "result", timestamp: "2026-12-07T14:05:16.051Z", status, ...extra });

describe("parseGeminiOutput", () => {
  it.each([
    {
      name: "real stream-json run: the router's side call and the agent's turns are both counted",
      stdout: fixture("gemini-stream-json-success.jsonl"),
      expected: { isError: false, message: "All done.", tokens: 330, costUsd: null },
    },
    {
      name: "real stream-json run with a bad key: Google's message, status and reason",
      stdout: fixture("gemini-stream-json-api-key-invalid.jsonl"),
      expected: { isError: true, message: "API key not valid. Please pass a valid API key. (400 INVALID_ARGUMENT, API_KEY_INVALID)", tokens: 0, costUsd: null },
    },
    {
      name: "real stream-json run with a rejected credential (401)",
      stdout: fixture("gemini-stream-json-unauthenticated.jsonl"),
      expected: { isError: true, message: "Request had invalid authentication credentials. (401 UNAUTHENTICATED)", tokens: 0, costUsd: null },
    },
    {
      name: "real stream-json run out of quota (429): the CLI's own words pass as they are",
      stdout: fixture("gemini-stream-json-quota.jsonl"),
      expected: {
        isError: true,
        message: "[API Error: Resource has been exhausted (e.g. check quota).]\nPlease wait and try again later. To increase your limits, request a quota increase through AI Studio, or switch to another /auth method",
        tokens: 0,
        costUsd: null,
      },
    },
    {
      name: "real --output-format json run: tokens summed over models",
      stdout: fixture("gemini-json-success.json"),
      expected: { isError: false, message: "done", tokens: 330, costUsd: null },
    },
  ])("$name", ({ stdout, expected }) => {
    expect(parseGeminiOutput(stdout)).toEqual(expected);
  });

  it("joins the streamed deltas of the last reply, after the last tool call", () => {
    const stdout = jsonl(
      { type: "message", role: "assistant", content: "Let me look.", delta: true },
      { type: "tool_use", tool_name: "read_file", tool_id: "t1", parameters: {} },
      { type: "tool_result", tool_id: "t1", status: "success" },
      { type: "message", role: "assistant", content: "Fixed ", delta: true },
      { type: "message", role: "assistant", content: "it.", delta: true },
      result("success", { stats: { total_tokens: 12, input_tokens: 10, output_tokens: 2 } }),
    );
    expect(parseGeminiOutput(stdout)).toEqual({ isError: false, message: "Fixed it.", tokens: 12, costUsd: null });
  });

  it("a run stopped before its result (the lane timeout) reports what it said, no tokens and no error", () => {
    const killed = fixture("gemini-stream-json-success.jsonl").split("\n").slice(0, 4).join("\n");
    expect(parseGeminiOutput(killed)).toEqual(none);
    const warned = jsonl({ type: "init", session_id: "s", model: "auto" }, { type: "error", severity: "warning", message: "Loop detected" });
    expect(parseGeminiOutput(warned)).toEqual({ ...none, message: "Loop detected" });
  });

  it("falls back to input plus output tokens, and to the status, when the result says less", () => {
    expect(parseGeminiOutput(jsonl(result("success", { stats: { input_tokens: 7, output_tokens: 3 } })))).toEqual({ ...none, tokens: 10 });
    expect(parseGeminiOutput(jsonl(result("error")))).toEqual({ isError: true, message: "error", tokens: null, costUsd: null });
    expect(parseGeminiOutput(jsonl(result("cancelled")))).toEqual({ isError: true, message: "cancelled", tokens: null, costUsd: null });
  });

  it("reads the json format's error object", () => {
    const stdout = JSON.stringify({ session_id: "s", error: { type: "Error", message: '{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}', code: 401 } }, null, 2);
    expect(parseGeminiOutput(stdout)).toEqual({ isError: true, message: "Request had invalid authentication credentials. (401 UNAUTHENTICATED)", tokens: null, costUsd: null });
  });

  it.each(["", "Warning: 256-color support not detected.\n", "{not json", '{"type":"result","status":"success"'])("says nothing for output that is not Gemini's: %j", (stdout) => {
    expect(parseGeminiOutput(stdout)).toEqual(none);
  });

  it("is the gemini-json format of parseAgentOutput", () => {
    expect(parseAgentOutput("gemini-json", fixture("gemini-stream-json-success.jsonl")).tokens).toBe(330);
  });
});
