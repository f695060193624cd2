import nock from "nock";
import { describe, expect, it } from "vitest";
import { publishLaneCheckRun } from "../../../src/github/lane-check-run.js";
import type { LaneStatus } from "../../../src/model/race-report.js";
import { API, createOctokit, REPO, REPO_PATH, useNock } from "./nock-github.js";
import { evalResult, laneResult } from "./race-fixtures.js";

useNock();

const SHA = "a".repeat(40);
const NAME = "agent-race / lane 1 (claude)";
const LIST_QUERY = { check_name: NAME, filter: "latest", per_page: 100 };

describe("publishLaneCheckRun", () => {
  it("creates a completed check run with the lane's evals", async () => {
    let sent: Record<string, unknown> = {};
    nock(API)
      .get(`${REPO_PATH}/commits/${SHA}/check-runs`)
      .query(LIST_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`, (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply(201, { id: 501 });
    const lane = laneResult({
      note: `push used ghs_${"t".repeat(36)}`,
      evals: [evalResult(), evalResult({ name: "e2e", duration_ms: 8100, note: "slow" })],
    });
    const id = await publishLaneCheckRun(createOctokit(), REPO, { raceId: "abc123", lane, headSha: SHA, detailsUrl: "https://example.test/r" });
    expect(id).toBe(501);
    expect(sent).toMatchObject({
      name: NAME, head_sha: SHA, status: "completed", conclusion: "success", external_id: "abc123:1", details_url: "https://example.test/r",
    });
    const output = sent.output as { title: string; summary: string };
    expect(output.title).toBe("2/2 evals passed · score 1.00 · 12.3s");
    expect(output.summary).toMatchInlineSnapshot(`
      "**Lane 1** (claude) on branch \`agent-race/7-abc123/1-claude\`: **passed**.

      | Eval | Result | Passed | Failed | Score | Time |
      | --- | --- | --- | --- | --- | --- |
      | unit | ✅ passed | 3 | 0 | 1.00 | 4.2s |
      | e2e | ✅ passed | 3 | 0 | 1.00 | 8.1s |

      Score **1.00** · 2 files (+10/-3) · 12.3s

      **Notes**

      - push used \\[REDACTED\\]
      - e2e: slow"
    `);
  });

  it.each<[LaneStatus, string]>([
    ["passed", "success"],
    ["failed", "failure"],
    ["timeout", "timed_out"],
    ["no-changes", "neutral"],
    ["error", "failure"],
  ])("updates the existing run for a %s lane with conclusion %s", async (status, conclusion) => {
    nock(API)
      .get(`${REPO_PATH}/commits/${SHA}/check-runs`)
      .query(LIST_QUERY)
      .reply(200, { total_count: 2, check_runs: [{ id: 7, external_id: "old:1" }, { id: 8, external_id: "abc123:1" }] })
      .patch(`${REPO_PATH}/check-runs/8`, (body: Record<string, unknown>) => body.conclusion === conclusion && !("head_sha" in body))
      .reply(200, { id: 8 });
    const lane = laneResult({ status, evals: [] });
    expect(await publishLaneCheckRun(createOctokit(), REPO, { raceId: "abc123", lane, headSha: SHA })).toBe(8);
  });

  it("titles a lane without evals by its status", async () => {
    nock(API)
      .get(`${REPO_PATH}/commits/${SHA}/check-runs`)
      .query(LIST_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`, (body: { output?: { title?: string } }) => body.output?.title === "timeout · no evals ran · 30m00s")
      .reply(201, { id: 9 });
    const lane = laneResult({ status: "timeout", evals: [], duration_ms: 1_800_000 });
    expect(await publishLaneCheckRun(createOctokit(), REPO, { raceId: "abc123", lane, headSha: SHA })).toBe(9);
  });
});
