import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCodexOutput } from "../../../src/agents/parse-codex-output.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/agent-output/${name}`, import.meta.url), "utf8");
const none = { isError: false, message: null, tokens: null, costUsd: null };
const jsonl = (...events: object[]) => events.map((event) => JSON.stringify(event)).join("\n");
const completed = (input: number, cached: number, output: number) => ({ type: "turn.completed", usage: { input_tokens: input, cached_input_tokens: cached, output_tokens: output } });
const message = (text: string) => ({ type: "item.completed", item: { id: "item_9", type: "agent_message", text } });

describe("parseCodexOutput", () => {
  it.each([
    {
      name: "real no-network run: retries never end in turn.completed",
      stdout: fixture("codex-exec-json-no-network.jsonl"),
      expected: { isError: true, message: "Reconnecting... waiting for network (Connection failed: error sending request)", tokens: null, costUsd: null },
    },
    {
      name: "real 0.171.0 run (exec → apply_patch, then a message, against a stand-in)",
      stdout: fixture("codex-0.171.0.jsonl"),
      expected: { isError: false, message: "Fixed median() for even-length arrays.", tokens: 30939 + 165, costUsd: null },
    },
    {
      name: "real 0.171.0 run with an invalid key (401): two retries, then turn.failed",
      stdout: fixture("codex-0.171.0-invalid-key.jsonl"),
      expected: { isError: true, message: "unexpected status 401 Unauthorized: Incorrect API key provided: dummy., url: http://127.0.0.1:28091/v1/responses", tokens: null, costUsd: null },
    },
    { name: "successful run: cached input is not counted twice", stdout: fixture("codex-exec-json-success.jsonl"), expected: { isError: false, message: "Fixed the off-by-one in parseRange and added a regression test.", tokens: 24763 + 1220, costUsd: null } },
    { name: "usage summed over turns", stdout: jsonl(completed(100, 50, 10), message("two"), completed(200, 150, 20)), expected: { isError: false, message: "two", tokens: 330, costUsd: null } },
    { name: "transient error, then the turn completes", stdout: jsonl({ type: "error", message: "Reconnecting... 1/5" }, message("done"), completed(10, 0, 5)), expected: { isError: false, message: "done", tokens: 15, costUsd: null } },
    { name: "turn.failed", stdout: jsonl({ type: "turn.started" }, { type: "turn.failed", error: { message: "usage limit reached" } }), expected: { isError: true, message: "usage limit reached", tokens: null, costUsd: null } },
    { name: "turn.failed after an earlier completed turn", stdout: jsonl(completed(10, 0, 5), { type: "turn.failed", error: {} }), expected: { isError: true, message: "turn failed", tokens: 15, costUsd: null } },
    { name: "error item (a warning) is not a failure", stdout: jsonl({ type: "item.completed", item: { id: "i", type: "error", message: "fallback" } }, completed(1, 0, 1)), expected: { isError: false, message: null, tokens: 2, costUsd: null } },
    { name: "unknown events and noise lines ignored", stdout: `Reading prompt from stdin...\n${jsonl({ type: "thread.started", thread_id: "t" }, { type: "item.updated", item: {} }, completed(3, 0, 4))}\n`, expected: { isError: false, message: null, tokens: 7, costUsd: null } },
    { name: "cut off mid-turn (no outcome)", stdout: jsonl({ type: "thread.started", thread_id: "t" }, { type: "turn.started" }), expected: none },
    { name: "plain text", stdout: "codex: command not found\n", expected: none },
    { name: "empty", stdout: "", expected: none },
  ])("$name", ({ stdout, expected }) => {
    expect(parseCodexOutput(stdout)).toEqual(expected);
  });
});
