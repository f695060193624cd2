import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { firstErrorLine } from "../../../src/agents/first-error-line.js";
import { parseAgentOutput } from "../../../src/agents/parse-agent-output.js";
import { parseCopilotOutput } from "../../../src/agents/parse-copilot-output.js";

// Real output of @github/copilot 1.0.102, `--output-format json`, recorded on a machine without a
// route to GitHub. GitHub documents no schema for this JSONL (github/copilot-cli#52 asked for the
// mode); the success shape is what the CLI printed in BYOK mode (COPILOT_PROVIDER_BASE_URL) against
// a local Anthropic Messages stand-in that scripted a `create` tool call and a final text, the same
// events it prints against GitHub's own models. Without any credentials, or with a classic PAT,
// Copilot prints nothing on stdout and a few lines on stderr (the *.stderr.txt fixtures).
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/agent-output/${name}`, import.meta.url), "utf8");
const none = { isError: false, message: null, tokens: null, costUsd: null };
const jsonl = (...events: object[]) => events.map((event) => JSON.stringify(event)).join("\n");
const message = (content: string) => ({ type: "assistant.message", data: { messageId: "m", content, toolRequests: [] }, id: "e", timestamp: "2026-12-07T14:01:19.470Z" });
const result = (exitCode: number) => ({ type: "result", timestamp: "2026-12-07T14:01:19.537Z", sessionId: "s", exitCode, usage: { premiumRequests: 0, totalApiDurationMs: 90, sessionDurationMs: 1748 } });

describe("parseCopilotOutput", () => {
  it.each([
    {
      name: "real BYOK run: a create tool call, then the final message; no tokens or cost in the JSONL",
      stdout: fixture("copilot-json-byok-success.jsonl"),
      expected: { isError: false, message: "done", tokens: null, costUsd: null },
    },
    {
      name: "real BYOK run with a rejected key (HTTP 401, after 2 retries): session.error, exitCode 1",
      stdout: fixture("copilot-json-byok-auth-error.jsonl"),
      expected: { isError: true, message: "Authentication failed with provider at http://127.0.0.1:18301/v1 (HTTP 401).", tokens: null, costUsd: null },
    },
    {
      name: "real run stopped by SIGTERM while the model was silent: abort, then exitCode 0",
      stdout: fixture("copilot-json-sigterm.jsonl"),
      expected: { isError: true, message: "aborted (user_initiated)", tokens: null, costUsd: null },
    },
  ])("$name", ({ stdout, expected }) => {
    expect(parseCopilotOutput(stdout)).toEqual(expected);
  });

  it("keeps the last assistant message with text (tool-call messages have none)", () => {
    expect(parseCopilotOutput(jsonl(message("Looking."), message(""), message("Fixed it."), message("  "), result(0)))).toEqual({ ...none, message: "Fixed it." });
  });

  it("a non-zero exitCode is a failure even without a session.error", () => {
    expect(parseCopilotOutput(jsonl(message("partial"), result(1)))).toEqual({ ...none, isError: true, message: "partial" });
  });

  it("no credentials: nothing on stdout; stderr's first line says why (what the lane note shows)", () => {
    expect(parseCopilotOutput("")).toEqual(none);
    expect(firstErrorLine(fixture("copilot-no-auth.stderr.txt"))).toBe("Error: No authentication information found.");
    expect(firstErrorLine(fixture("copilot-classic-pat.stderr.txt"))).toBe("Error: Classic Personal Access Tokens (ghp_) are not supported by Copilot.");
  });

  it.each(["", "Error: No authentication information found.\n", "{not json"])("says nothing for output that is not Copilot's: %j", (stdout) => {
    expect(parseCopilotOutput(stdout)).toEqual(none);
  });

  it("is the copilot-jsonl format of parseAgentOutput", () => {
    expect(parseAgentOutput("copilot-jsonl", fixture("copilot-json-byok-auth-error.jsonl")).isError).toBe(true);
  });
});
