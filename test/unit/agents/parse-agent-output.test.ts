import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAgentOutput } from "../../../src/agents/parse-agent-output.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/agent-output/${name}`, import.meta.url), "utf8");

describe("parseAgentOutput", () => {
  it.each([
    { format: "text" as const, stdout: fixture("claude-print-json-success.json"), expected: { isError: false, message: null, tokens: null, costUsd: null } },
    { format: "claude-json" as const, stdout: fixture("claude-print-json-not-logged-in.json"), expected: { isError: true, message: "Not logged in · Please run /login", tokens: 0, costUsd: 0 } },
    { format: "codex-jsonl" as const, stdout: fixture("codex-exec-json-success.jsonl"), expected: { isError: false, message: "Fixed the off-by-one in parseRange and added a regression test.", tokens: 25983, costUsd: null } },
  ])("dispatches $format", ({ format, stdout, expected }) => {
    expect(parseAgentOutput(format, stdout)).toEqual(expected);
  });
});
