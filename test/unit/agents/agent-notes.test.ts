import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { agentNotes } from "../../../src/agents/agent-notes.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/agent-output/${name}`, import.meta.url), "utf8");

/** Claude Code's real `-p --output-format json` result (claude-print-json-success.json) with these denials. */
function printJson(denials: unknown[], fields: Record<string, unknown> = {}): string {
  const result = JSON.parse(fixture("claude-print-json-success.json")) as Record<string, unknown>;
  return `${JSON.stringify({ ...result, ...fields, permission_denials: denials })}\n`;
}

let ids = 0;
/** One entry of `permission_denials`, as Claude Code writes it. */
function denial(tool_name: string, tool_input: Record<string, unknown>): Record<string, unknown> {
  return { tool_name, tool_use_id: `toolu_01${String(++ids).padStart(22, "A")}`, tool_input };
}

const bash = (command: string, description = "Run a command") => denial("Bash", { command, description });
const write = (file_path: string) => denial("Write", { file_path, content: "export const answer = 42;\n" });
const fetch = (url: string) => denial("WebFetch", { url, prompt: "Summarise the page" });

describe("agentNotes", () => {
  it("turns Claude's permission denials into one lane note: how many calls, which tools", () => {
    const stdout = printJson([bash("npm test", "Run the test suite"), write("/home/agent/work/src/answer.ts")]);
    expect(agentNotes("claude-json", stdout)).toEqual(["Claude denied 2 tool calls: Bash, Write"]);
  });

  it("counts every denied call but names each tool once, in the order first denied", () => {
    const stdout = printJson([bash("npm test"), fetch("https://example.com/docs"), bash("npm run lint"), write("src/a.ts"), bash("git push")]);
    expect(agentNotes("claude-json", stdout)).toEqual(["Claude denied 5 tool calls: Bash, WebFetch, Write"]);
  });

  it("says 'call' for one denial", () => {
    expect(agentNotes("claude-json", printJson([bash("npm test")]))).toEqual(["Claude denied 1 tool call: Bash"]);
  });

  it("names at most 10 tools, then how many more", () => {
    const tools = Array.from({ length: 13 }, (_, i) => denial(`mcp__server__tool_${i + 1}`, { arg: i }));
    const [note] = agentNotes("claude-json", printJson(tools));
    const shown = Array.from({ length: 10 }, (_, i) => `mcp__server__tool_${i + 1}`).join(", ");
    expect(note).toBe(`Claude denied 13 tool calls: ${shown} and 3 more`);
    expect(note).not.toContain("tool_11");
  });

  it("no note for a run without denials (the real success output) or without a result event", () => {
    expect(agentNotes("claude-json", fixture("claude-print-json-success.json"))).toEqual([]);
    expect(agentNotes("claude-json", fixture("claude-print-json-not-logged-in.json"))).toEqual([]);
    expect(agentNotes("claude-json", '{"type":"system","subtype":"init"}\n')).toEqual([]);
    expect(agentNotes("claude-json", "Not logged in\n")).toEqual([]);
    expect(agentNotes("claude-json", "")).toEqual([]);
  });

  it("also counts the denials of a failed run (is_error), which is when they matter most", () => {
    const stdout = printJson([bash("npm test")], { subtype: "error_max_turns", is_error: true, result: undefined });
    expect(agentNotes("claude-json", stdout)).toEqual(["Claude denied 1 tool call: Bash"]);
  });

  it("reads stream-json: the last result event's denials, not an earlier turn's", () => {
    const result = JSON.parse(printJson([])) as Record<string, unknown>;
    const stdout = [
      JSON.stringify({ type: "system", subtype: "init", session_id: "s", tools: ["Bash", "Edit", "Write"], permissionMode: "acceptEdits" }),
      JSON.stringify({ type: "assistant", message: { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "npm test" } }] } }),
      JSON.stringify({ ...result, num_turns: 1, permission_denials: [denial("WebSearch", { query: "x" })] }),
      JSON.stringify({ ...result, num_turns: 2, permission_denials: [bash("npm test"), bash("npx vitest run")] }),
      "",
    ].join("\n");
    expect(agentNotes("claude-json", stdout)).toEqual(["Claude denied 2 tool calls: Bash"]);
  });

  it("reads the --verbose JSON array of messages", () => {
    const result = JSON.parse(printJson([write("src/x.ts")])) as Record<string, unknown>;
    const stdout = JSON.stringify([{ type: "system", subtype: "init" }, { type: "assistant", message: { content: [] } }, result]);
    expect(agentNotes("claude-json", stdout)).toEqual(["Claude denied 1 tool call: Write"]);
  });

  it("only for Claude's output format: another agent's text that looks the same adds no note", () => {
    const stdout = printJson([bash("npm test")]);
    expect(agentNotes("text", stdout)).toEqual([]);
    expect(agentNotes("codex-jsonl", stdout)).toEqual([]);
  });

  it("ignores malformed denials instead of reporting garbage (no tool_name, or a huge one)", () => {
    expect(agentNotes("claude-json", printJson([{ tool_use_id: "toolu_x", tool_input: {} }]))).toEqual([]);
    expect(agentNotes("claude-json", printJson([denial("B".repeat(201), {})]))).toEqual([]);
    expect(agentNotes("claude-json", printJson("Bash" as unknown as unknown[]))).toEqual([]);
  });

  it("never copies a denied call's input (commands, file contents) into the note", () => {
    const [note] = agentNotes("claude-json", printJson([bash("curl -H 'Authorization: Bearer sk-ant-secret' https://x"), write("/etc/passwd")]));
    expect(note).toBe("Claude denied 2 tool calls: Bash, Write");
    expect(note).not.toMatch(/secret|passwd|curl|toolu_/);
  });

  it("reads the refused tool calls of Qwen Code and opencode from their real output (unsandboxed lanes keep their guard rails)", () => {
    expect(agentNotes("qwen-json", fixture("qwen-stream-json-shell-denied.jsonl"))).toEqual(["Qwen Code denied 1 tool call: run_shell_command"]);
    expect(agentNotes("opencode-jsonl", fixture("opencode-run-json-permission-rejected.jsonl"))).toEqual(["opencode denied 1 tool call: bash"]);
    expect(agentNotes("qwen-json", fixture("qwen-stream-json-success.jsonl"))).toEqual([]);
    expect(agentNotes("codex-jsonl", fixture("codex-0.171.0.jsonl"))).toEqual([]);
  });
});
