import { describe, expect, it } from "vitest";
import { renderRaceRows } from "../../../../src/dashboard/views/render-race-list.js";
import { summarizeRace } from "../../../../src/dashboard/views/race-summary.js";
import { raceReport, laneResult } from "../../github/race-fixtures.js";
import { finishedLane, laneState, NOW, snapshot } from "../dashboard-fixtures.js";

describe("race list", () => {
  it("renders one escaped row per race with repo, issue, trigger, lanes, state, cost, winner and PRs", () => {
    const report = raceReport([laneResult({ lane: 2, agent: "codex", cost_usd: 0.5 }), laneResult({ lane: 1, status: "failed", cost_usd: 0.25 })], { winner: 2 });
    const finished = snapshot(
      { raceId: "r2", state: "done", finishedAt: NOW - 5000, report, issueTitle: "<b>bold</b>", prs: { "2": { number: 14, url: "https://github.com/acme/widgets/pull/14" } } },
      [finishedLane(1, { status: "failed", cost_usd: 0.25 }), finishedLane(2, { agent: "codex", cost_usd: 0.5 })],
    );
    const markup = renderRaceRows([finished], NOW).value;
    expect(markup).toContain('data-race="r2" data-repo="acme/widgets"');
    expect(markup).toContain('href="/agent-race/races/r2"');
    expect(markup).toContain('href="https://github.com/acme/widgets/issues/12">#12</a> &lt;b&gt;bold&lt;/b&gt;');
    expect(markup).toContain("label agent:race");
    expect(markup).toContain("1 claude: failed");
    expect(markup).toContain("2 codex: passed");
    expect(markup).toContain("$0.75");
    expect(markup).toContain("2 (codex)");
    expect(markup).toContain("#14</a>");
    expect(markup).toContain("<td>1m 00s</td>");
  });

  it("says how to start a race when there is none", () => {
    expect(renderRaceRows([], NOW).value).toContain("No races yet");
  });
});

describe("race summary", () => {
  it("sums only known lane costs and shows a queued race whose lanes started as running", () => {
    expect(summarizeRace(snapshot({ state: "queued" }, [laneState()])).state).toBe("running");
    expect(summarizeRace(snapshot({ state: "queued" }, [laneState({ step: "queued" })])).state).toBe("queued");
    expect(summarizeRace(snapshot()).costUsd).toBeNull();
    expect(summarizeRace(snapshot({}, [finishedLane(1, { cost_usd: 0.1 }), finishedLane(2, { cost_usd: null })])).costUsd).toBeCloseTo(0.1);
  });

  it("names the trigger from the race job, or from the meta when the job is gone", () => {
    expect(summarizeRace(snapshot({}, [], "comment")).trigger).toBe("/race comment");
    expect(summarizeRace(snapshot({ single: true }, [], "label")).trigger).toBe("label agent:run");
    expect(summarizeRace(snapshot({}, [], null)).trigger).toBe("race");
  });
});
