import { describe, expect, it } from "vitest";
import { raceFragments, renderRaceBody } from "../../../../src/dashboard/views/render-race-page.js";
import { evalResult } from "../../github/race-fixtures.js";
import { finishedLane, laneState, NOW, snapshot } from "../dashboard-fixtures.js";

const TOKEN = `ghs_${"A".repeat(36)}`;

describe("race page", () => {
  it("escapes user text: issue title, agent, approach, sender, notes and logs", () => {
    const evil = `<img src=x onerror=alert(1)>`;
    const markup = renderRaceBody(snapshot(
      { issueTitle: `Fix ${evil}`, sender: `al"ice`, lanes: [{ lane: 1, agent: `a${evil}`, approach: `try ${evil}`, branch: "b" }], message: `Stopped: ${evil}` },
      [laneState({ agent: `a${evil}`, detail: `step ${evil}`, logTail: `out ${evil}` })],
    ), NOW).value;
    expect(markup).not.toContain("<img");
    expect(markup).toContain("Fix &lt;img src=x onerror=alert(1)&gt;");
    expect(markup).toContain("approach: try &lt;img");
    expect(markup).toContain("al&quot;ice");
  });

  it("redacts secrets in the log tail, lane notes, eval notes and the race message again", () => {
    const lane = finishedLane(1, { status: "failed", note: `push said ${TOKEN}`, evals: [evalResult({ passed: false, note: `x-access-token:${TOKEN}@github.com` })] });
    const markup = renderRaceBody(snapshot({ message: `Authorization: Bearer ${TOKEN}` }, [{ ...lane, logTail: `fatal: https://x-access-token:${TOKEN}@github.com/acme/widgets\nkey sk-ant-${"b".repeat(30)}` }]), NOW).value;
    expect(markup).not.toContain(TOKEN);
    expect(markup).not.toContain("sk-ant-bbb");
    expect(markup.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it("shows each lane's step, state, eval table and PR; running lanes tick from data-since", () => {
    const done = finishedLane(2, { agent: "codex", cost_usd: 0.25, tokens: 900, evals: [evalResult({ name: "unit tests", passed_count: 5, failed_count: 1, passed: false })] });
    const markup = renderRaceBody(snapshot({ prs: { "2": { number: 9, url: "https://github.com/acme/widgets/pull/9" } } }, [laneState(), done]), NOW).value;
    expect(markup).toMatch(/id="lane-1"[\s\S]*data-state="agent">agent running</);
    expect(markup).toContain(`data-since="${NOW - 30_000}"`);
    expect(markup).toMatch(/id="lane-2"[\s\S]*data-state="passed">passed</);
    expect(markup).toContain("<td>unit tests</td>");
    expect(markup).toContain("<td>5/6</td>");
    expect(markup).toContain('href="https://github.com/acme/widgets/pull/9">PR #9</a>');
    expect(markup).toContain("$0.25");
  });

  it("neutralizes non-http links from the registry", () => {
    const markup = renderRaceBody(snapshot({ prs: { "1": { number: 3, url: "javascript:alert(1)" } } }), NOW).value;
    expect(markup).not.toContain("javascript:");
    expect(markup).toContain('href="#">PR #3</a>');
  });

  it("splits into the fragments the live script replaces; a fixed clock keeps them stable", () => {
    const s = snapshot();
    expect(Object.keys(raceFragments(s, NOW))).toEqual(["race-head", "race-lanes"]);
    expect(raceFragments(s, NOW)).toEqual(raceFragments(s, NOW));
  });
});
