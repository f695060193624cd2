import { describe, expect, it } from "vitest";
import { renderComparisonComment } from "../../../../src/github/render/render-comparison-comment.js";
import { evalResult, laneResult, raceReport } from "../race-fixtures.js";

const passedReport = raceReport([
  laneResult({ lane: 2, agent: "codex", approach: "ask @octocat | <b>then</b>", branch: "agent-race/7-abc123/2-codex" }),
  laneResult({
    lane: 1, rank: 2, status: "failed", score: 0.5, note: "1 required eval failed",
    evals: [evalResult({ passed: false, passed_count: 1, failed_count: 1, score: 0.5 })],
  }),
]);

const failedReport = raceReport([
  laneResult({ status: "failed", score: 0, note: "tests failed", evals: [evalResult({ passed: false, passed_count: 0, failed_count: 3, score: 0 })] }),
  laneResult({ lane: 2, rank: 2, agent: "codex", status: "error", evals: [], score: 0, note: "agent crashed <oops>" }),
]);

describe("renderComparisonComment", () => {
  it("renders the ranked table with links and the pull requests", () => {
    const text = renderComparisonComment({
      report: passedReport,
      links: new Map([
        [2, { pr: { number: 9, url: "https://github.com/o/r/pull/9" } }],
        [1, { branchUrl: "https://github.com/o/r/tree/agent-race/7-abc123/1-claude" }],
      ]),
      logExcerpts: new Map([[1, "should not be shown"]]),
      overlapNote: "Lanes 1 and 2 both change `src/parser.ts`.",
    });
    expect(text).toMatchInlineSnapshot(`
      "<!-- agent-race:comparison:abc123 -->
      ### 🏁 agent-race results (2 lanes, best mode)

      > ⚠️ Lanes 1 and 2 both change \`src/parser.ts\`.

      **Winner: lane 2 (codex)** on branch \`agent-race/7-abc123/2-codex\`.

      | # | Lane | Agent | Approach | Status | unit | Score | Files | +/- | Time | Tokens | Spend | Notes |
      | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
      | 1 🏆 | [2](https://github.com/o/r/pull/9) | codex | ask @‍octocat \\| &lt;b&gt;then&lt;/b&gt; | ✅ passed | ✅ 3/3 | 1.00 | 2 | +10/-3 | 12.3s |  | 12.3s wall |  |
      | 2 | [1](https://github.com/o/r/tree/agent-race/7-abc123/1-claude) | claude |  | ❌ failed | ❌ 1/2 | 0.50 | 2 | +10/-3 | 12.3s |  | 12.3s wall | 1 required eval failed |

      **Total spend:** 24.6s wall time of 2 lanes without a reported cost

      **Pull requests**

      - Lane 2 (codex): [#9](https://github.com/o/r/pull/9)

      <sub>Race \`abc123\` · Commands: \`/pick N\` keeps lane N and closes the others · \`/retry N\` runs lane N again · \`/race\` starts a new race</sub>
      "
    `);
  });

  it("explains a race no lane passed, with each lane's redacted log tail", () => {
    const log = ["$ npm test", "```", "FAIL parser.test.ts", `token ghp_${"a".repeat(36)}`, "secret: my-literal-secret"].join("\n");
    const text = renderComparisonComment({
      report: failedReport,
      links: new Map(),
      logExcerpts: new Map([[1, log]]),
      secrets: ["my-literal-secret"],
    });
    expect(text).toMatchInlineSnapshot(`
      "<!-- agent-race:comparison:abc123 -->
      ### 🏁 agent-race results (2 lanes, best mode)

      **No lane passed.**

      | # | Lane | Agent | Approach | Status | unit | Score | Files | +/- | Time | Tokens | Spend | Notes |
      | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
      | 1 | 1 | claude |  | ❌ failed | ❌ 0/3 | 0.00 | 2 | +10/-3 | 12.3s |  | 12.3s wall | tests failed |
      | 2 | 2 | codex |  | ⚠️ error | — |  | 2 | +10/-3 | 12.3s |  | 12.3s wall | agent crashed &lt;oops&gt; |

      **Total spend:** 24.6s wall time of 2 lanes without a reported cost

      No lane passed, so no pull request was opened.

      <details><summary>Lane 1 (claude): failed — tests failed</summary>

      \`\`\`\`text
      $ npm test
      \`\`\`
      FAIL parser.test.ts
      token [REDACTED]
      secret: [REDACTED]
      \`\`\`\`

      </details>

      <details><summary>Lane 2 (codex): error — agent crashed &lt;oops&gt;</summary>

      No log was kept.

      </details>

      <sub>Race \`abc123\` · Commands: \`/pick N\` keeps lane N and closes the others · \`/retry N\` runs lane N again · \`/race\` starts a new race</sub>
      "
    `);
  });

  it("says so when lanes passed but no pull request was opened", () => {
    const text = renderComparisonComment({ report: passedReport, links: new Map(), logExcerpts: new Map() });
    expect(text).toContain("**Pull requests**: none was opened.");
    expect(text).not.toContain("No lane passed");
  });
});
