import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { fitGitHubText, fitText, GITHUB_TEXT_LIMITS } from "../../../../src/github/render/fit-github-text.js";
import { fitRequestText, fitTextPlugin } from "../../../../src/github/client/fit-text-plugin.js";
import { publishLaneCheckRun } from "../../../../src/github/lane-check-run.js";
import { renderComparisonComment } from "../../../../src/github/render/render-comparison-comment.js";
import { prMarker, renderPrBody } from "../../../../src/github/render/render-pr-body.js";
import { renderStatusComment } from "../../../../src/github/render/render-status-comment.js";
import { statusMarker } from "../../../../src/github/render/status-marker.js";
import { API, REPO, REPO_PATH, useNock } from "../nock-github.js";
import { evalResult, laneResult, raceReport } from "../race-fixtures.js";

useNock();

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");
const MB = 1024 * 1024;
/** A megabyte of note, with multi-byte characters so byte and character counts differ. */
const HUGE = `${"é🙂x".repeat(MB / 4)}TAIL`;
/** Eighty evals each with a long note: more than any limit once rendered. */
const manyEvals = Array.from({ length: 80 }, (_, i) => evalResult({ name: `eval-${i}-${"n".repeat(3000)}`, passed: false, note: HUGE }));

describe("fitText", () => {
  it("returns text that fits unchanged", () => {
    expect(fitText("hello", 5)).toBe("hello");
    expect(fitText("héllo", 6, { unit: "bytes" })).toBe("héllo");
  });

  it("cuts to the limit with an ellipsis, counting characters or UTF-8 bytes", () => {
    expect(fitText("abcdefghij", 5)).toBe("abcd…");
    const cut = fitText("ééééé", 6, { unit: "bytes" });
    expect(bytes(cut)).toBeLessThanOrEqual(6);
    expect(cut).toBe("é…"); // "éé…" would be 2 × 2 + 3 = 7 bytes: one é fits
  });

  it("never splits a surrogate pair or a UTF-8 sequence", () => {
    const text = "🙂".repeat(10);
    for (let max = 1; max < 25; max++) {
      const chars = fitText(text, max);
      expect(chars.length).toBeLessThanOrEqual(max);
      expect(chars).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      const inBytes = fitText(text, max, { unit: "bytes" });
      expect(bytes(inBytes)).toBeLessThanOrEqual(max);
      expect(inBytes).not.toContain("\ufffd");
    }
  });

  it("keeps a suffix whole after the cut", () => {
    expect(fitText("a".repeat(100), 20, { suffix: "<!-- m -->" })).toBe(`${"a".repeat(9)}…<!-- m -->`);
  });

  it("fits each kind under GitHub's limit and says it was cut", () => {
    for (const kind of Object.keys(GITHUB_TEXT_LIMITS) as Array<keyof typeof GITHUB_TEXT_LIMITS>) {
      const fitted = fitGitHubText(HUGE, kind);
      const limit = GITHUB_TEXT_LIMITS[kind];
      expect(limit.unit === "bytes" ? bytes(fitted) : fitted.length, kind).toBeLessThanOrEqual(limit.max);
      expect(fitted.length, kind).toBeGreaterThan(limit.max / 8);
      expect(fitted).toContain("cut to fit GitHub's");
    }
    expect(GITHUB_TEXT_LIMITS.comment.max).toBe(65_536);
    expect(GITHUB_TEXT_LIMITS["check-summary"].max).toBe(65_535);
  });
});

describe("renderers with huge notes", () => {
  it("the status comment fits and keeps its marker first, with a huge message and lane details", () => {
    const lanes = Array.from({ length: 8 }, (_, i) => ({ lane: i + 1, agent: "a".repeat(5000), approach: HUGE, step: "done" as const, status: "error" as const, detail: HUGE, startedAt: 0, updatedAt: 1 }));
    const text = renderStatusComment({ raceId: "abc123", state: "failed", lanes, now: 2, message: `agent-race could not finish: ${HUGE}` });
    expect(text.length).toBeLessThanOrEqual(65_536);
    expect(text.startsWith(statusMarker("abc123"))).toBe(true);
    expect(text).toContain("agent-race could not finish");
    expect(text).not.toContain("TAIL");
  });

  it("the PR body fits and keeps its closing marker", () => {
    const report = raceReport([laneResult({ note: HUGE, approach: HUGE, evals: manyEvals })]);
    const body = renderPrBody({ issueNumber: 7, report, lane: 1, mode: "best", siblings: [] });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith("Fixes #7")).toBe(true);
    expect(body.trimEnd().endsWith(prMarker("abc123", 1))).toBe(true);
  });

  it("the comparison comment fits with a huge overlap note and lane notes", () => {
    const lanes = Array.from({ length: 8 }, (_, i) => laneResult({ lane: i + 1, rank: i + 1, status: "failed", note: HUGE, evals: manyEvals.slice(0, 20) }));
    const logs = new Map(lanes.map((lane) => [lane.lane, HUGE]));
    const text = renderComparisonComment({ report: raceReport(lanes), links: new Map(), logExcerpts: logs, overlapNote: HUGE });
    expect(text.length).toBeLessThanOrEqual(65_536);
    expect(text).toContain("agent-race results");
  });

  it("the check-run summary fits GitHub's byte limit with many long eval notes", async () => {
    let summary = "";
    nock(API)
      .get(`${REPO_PATH}/commits/${"a".repeat(40)}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`, (body: { output: { summary: string } }) => {
        summary = body.output.summary;
        return true;
      })
      .reply(201, { id: 1 });
    await publishLaneCheckRun(new ProbotOctokit({ auth: { token: "t" }, throttle: { enabled: false }, retry: { enabled: false } }), REPO, { raceId: "abc123", lane: laneResult({ status: "failed", note: HUGE, evals: manyEvals }), headSha: "a".repeat(40) });
    expect(bytes(summary)).toBeLessThanOrEqual(65_535);
    expect(summary).toContain("**Lane 1**");
    expect(summary).toContain("cut to fit GitHub's 65,535-byte limit");
  });
});

describe("fitTextPlugin (the net under every write)", () => {
  it("fits comment, PR and check-run text in requests the renderers did not build", async () => {
    const sent: Record<string, unknown>[] = [];
    const record = (body: Record<string, unknown>) => {
      sent.push(body);
      return true;
    };
    nock(API)
      .post(`${REPO_PATH}/issues/7/comments`, record).reply(201, { id: 1 })
      .patch(`${REPO_PATH}/pulls/8`, record).reply(200, { number: 8 })
      .patch(`${REPO_PATH}/check-runs/9`, record).reply(200, { id: 9 });
    const Octokit = ProbotOctokit.plugin(fitTextPlugin);
    const octokit = new Octokit({ auth: { token: "t" }, throttle: { enabled: false }, retry: { enabled: false } });
    await octokit.rest.issues.createComment({ ...REPO, issue_number: 7, body: HUGE });
    await octokit.rest.pulls.update({ ...REPO, pull_number: 8, body: HUGE });
    await octokit.rest.checks.update({ ...REPO, check_run_id: 9, output: { title: "t", summary: HUGE, text: HUGE } });
    expect((sent[0]!.body as string).length).toBeLessThanOrEqual(65_536);
    expect((sent[1]!.body as string).length).toBeLessThanOrEqual(65_536);
    const output = sent[2]!.output as { summary: string; text: string; title: string };
    expect(bytes(output.summary)).toBeLessThanOrEqual(65_535);
    expect(bytes(output.text)).toBeLessThanOrEqual(65_535);
    expect(output.title).toBe("t");
  });

  it("leaves reads and text that fits alone", () => {
    const read = { method: "GET", url: "/repos/{owner}/{repo}/issues/{issue_number}/comments", body: HUGE };
    fitRequestText(read);
    expect(read.body).toBe(HUGE);
    const small = { method: "POST", url: "/repos/{owner}/{repo}/issues/{issue_number}/comments", body: "ok" };
    fitRequestText(small);
    expect(small.body).toBe("ok");
  });
});
