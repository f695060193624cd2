import { describe, expect, it } from "vitest";
import type { RaceReport } from "../../../src/model/race-report.js";
import { renderMarkdownReport } from "../../../src/report/render-markdown-report.js";
import { renderTextReport } from "../../../src/report/render-text-report.js";

const report: RaceReport = {
  id: "abc123", task: "Fix the parser\nmore details", base: "main", base_sha: "f".repeat(40), mode: "best",
  started_at: "2026-01-01T00:00:00.000Z", finished_at: "2026-01-01T00:01:00.000Z", duration_ms: 60_000, winner: 2,
  lanes: [
    {
      lane: 2, rank: 1, agent: "codex", approach: "use a | pipe", branch: "agent-race/x-abc123/2-codex", worktree: null, status: "passed",
      evals: [{ name: "unit", passed: true, required: true, passed_count: 12, failed_count: 0, score: 1, weight: 1, duration_ms: 900, note: null }],
      score: 1, files_changed: 2, out_of_scope: [], insertions: 10, deletions: 3, duration_ms: 61_000, tokens: 12345, cost_usd: 0.4, head: "a", note: null, log: "",
    },
    {
      lane: 1, rank: 2, agent: "claude", approach: null, branch: "agent-race/x-abc123/1-claude", worktree: null, status: "timeout",
      evals: [], score: 0, files_changed: 0, out_of_scope: [], insertions: 0, deletions: 0, duration_ms: 1800_000, tokens: null, cost_usd: null, head: null, note: "agent timed out after 1800s", log: "",
    },
  ],
};

describe("report renderers", () => {
  it("renders the Markdown comparison with eval counts, escaped cells, links and the winner", () => {
    const markdown = renderMarkdownReport(report, { links: new Map([[2, "https://example.test/pr/7"]]) });
    expect(markdown).toMatchInlineSnapshot(`
      "**Winner: lane 2 (codex)** on branch \`agent-race/x-abc123/2-codex\`.

      | # | Lane | Agent | Approach | Status | unit | Score | Files | +/- | Time | Tokens | Spend | Notes |
      | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
      | 1 🏆 | [2](https://example.test/pr/7) | codex | use a \\| pipe | ✅ passed | ✅ 12/12 | 1.00 | 2 | +10/-3 | 1m01s | 12,345 | $0.40 |  |
      | 2 | 1 | claude |  | ⏱️ timeout | — |  | 0 | +0/-0 | 30m00s |  | 30m00s wall | agent timed out after 1800s |

      **Total spend:** $0.40 reported by 1 lane + 30m00s wall time of 1 lane without a reported cost
      "
    `);
  });

  it("renders an aligned text table with the pick command", () => {
    const text = renderTextReport(report);
    expect(text).toContain("Race abc123: Fix the parser");
    expect(text).toMatch(/1 \*\s+2\s+codex\s+use a \| pipe\s+passed\s+ok 12\/12/);
    expect(text).toContain("agent-race pick abc123 2");
    expect(renderTextReport({ ...report, winner: null })).toContain("No lane passed.");
  });
});
