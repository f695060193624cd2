import { describe, expect, it } from "vitest";
import { prTitle, renderPrBody } from "../../../../src/github/render/render-pr-body.js";
import { evalResult, laneResult, raceReport } from "../race-fixtures.js";

const report = raceReport([
  laneResult({
    lane: 2, agent: "codex", branch: "agent-race/7-abc123/2-codex", approach: "fix it in the caller, cc @octocat", score: 0.9,
    evals: [evalResult(), evalResult({ name: "lint", required: false, passed: false, passed_count: 0, failed_count: 2, score: 0, duration_ms: 800, note: "2 problems" })],
  }),
  laneResult({ lane: 1, rank: 2, status: "timeout", evals: [], score: 0, note: "agent timed out" }),
]);

describe("renderPrBody", () => {
  it("closes the issue in best mode", () => {
    expect(renderPrBody({ issueNumber: 7, report, lane: 2, mode: "best", siblings: [] })).toMatchInlineSnapshot(`
      "Fixes #7

      Lane 2 (codex) of agent-race race \`abc123\`, branch \`agent-race/7-abc123/2-codex\`.

      **Approach:** fix it in the caller, cc @‍octocat

      ### Eval results

      | Eval | Result | Passed | Failed | Score | Time | Note |
      | --- | --- | --- | --- | --- | --- | --- |
      | unit | ✅ passed | 3 | 0 | 1.00 | 4.2s |  |
      | lint | ❌ failed (optional) | 0 | 2 | 0.00 | 800ms | 2 problems |

      Overall score **0.90** in 12.3s.

      ### Ranking

      1. 🏆 lane 2 · codex · ✅ passed · score 0.90 ← this pull request
      2. lane 1 · claude · ⏱️ timeout

      <!-- agent-race:pr:abc123:2 -->
      "
    `);
  });

  it("only refers to the issue in compare mode and links the siblings", () => {
    const body = renderPrBody({
      issueNumber: 7,
      report: { ...report, mode: "compare" },
      lane: 1,
      mode: "compare",
      siblings: [
        { lane: 2, agent: "codex", number: 12, url: "https://github.com/o/r/pull/12" },
        { lane: 1, agent: "claude", number: 11, url: "https://github.com/o/r/pull/11" },
      ],
    });
    expect(body).toMatchInlineSnapshot(`
      "Refs #7 — one of several approaches; pick one with an approving review or \`/pick 1\` on the issue.

      Lane 1 (claude) of agent-race race \`abc123\`, branch \`agent-race/7-abc123/1-claude\`.

      **Note:** agent timed out

      ### Eval results

      No evals ran.

      ### Ranking

      1. 🏆 lane 2 · codex · ✅ passed · score 0.90
      2. lane 1 · claude · ⏱️ timeout ← this pull request

      ### Other approaches

      - Lane 2 (codex): [#12](https://github.com/o/r/pull/12)

      <!-- agent-race:pr:abc123:1 -->
      "
    `);
    expect(body).not.toMatch(/\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?) #7/i);
  });

  it("rejects a lane that is not in the report", () => {
    expect(() => renderPrBody({ issueNumber: 7, report, lane: 9, mode: "best", siblings: [] })).toThrow("lane 9 is not in race abc123");
  });
});

describe("prTitle", () => {
  const lane = laneResult({ lane: 3, agent: "codex" });
  it.each([
    ["best", "Fix the parser", "best", "Fix the parser"],
    ["best, whitespace collapsed", "  Fix\n the   parser ", "best", "Fix the parser"],
    ["compare", "Fix the parser", "compare", "[lane 3 · codex] Fix the parser"],
    ["best, long", "x".repeat(300), "best", `${"x".repeat(199)}…`],
    ["compare, long", "y".repeat(300), "compare", `[lane 3 · codex] ${"y".repeat(182)}…`],
  ] as const)("titles a %s pull request", (_name, title, mode, expected) => {
    const result = prTitle(title, lane, mode);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(200);
  });
});
