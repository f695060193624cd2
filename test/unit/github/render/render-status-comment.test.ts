import { describe, expect, it } from "vitest";
import { renderStatusComment, statusMarker } from "../../../../src/github/render/render-status-comment.js";
import type { LaneStatusView, StatusView } from "../../../../src/github/render/status-view.js";

const T0 = 1_700_000_000_000;

function lane(overrides: Partial<LaneStatusView> = {}): LaneStatusView {
  return { lane: 1, agent: "claude", approach: null, step: "agent", startedAt: T0, updatedAt: T0 + 5_000, ...overrides };
}

function view(overrides: Partial<StatusView> = {}): StatusView {
  return { raceId: "abc123", state: "running", lanes: [lane()], now: T0 + 65_000, ...overrides };
}

/** The State and Time cells of the first lane row. */
function cells(input: StatusView): [string, string] {
  const row = renderStatusComment(input).split("\n").find((line) => /^\| \d/.test(line)) ?? "";
  const parts = row.split(" | ");
  return [parts[3] ?? "", (parts[4] ?? "").replace(/ \|$/, "")];
}

describe("renderStatusComment", () => {
  it("renders a running race", () => {
    const text = renderStatusComment(
      view({
        lanes: [
          lane({ lane: 2, agent: "codex", approach: "fix it in the caller", step: "evaluating" }),
          lane({ lane: 1, approach: "fix it in the parser" }),
          lane({ lane: 3, agent: "aider", step: "queued", startedAt: null }),
        ],
      }),
    );
    expect(text).toMatchInlineSnapshot(`
      "<!-- agent-race:status:abc123 -->
      ### 🏁 agent-race: racing 3 lanes

      | Lane | Agent | Approach | State | Time |
      | --- | --- | --- | --- | --- |
      | 1 | claude | fix it in the parser | 🤖 agent running | 1m05s |
      | 2 | codex | fix it in the caller | 🧪 evaluating | 1m05s |
      | 3 | aider | — | ⏳ queued | — |

      <sub>Race \`abc123\` · Commands: \`/cancel\` stops this race · \`/race\` starts a new one · \`/help\` lists all</sub>
      "
    `);
  });

  it("renders a finished race", () => {
    const done = { step: "done" as const, updatedAt: T0 + 12_300 };
    const text = renderStatusComment(
      view({
        state: "done",
        now: T0 + 600_000,
        lanes: [lane({ ...done, status: "passed" }), lane({ ...done, lane: 2, agent: "codex", status: "timeout", detail: "agent timed out after 1800s" })],
      }),
    );
    expect(text).toMatchInlineSnapshot(`
      "<!-- agent-race:status:abc123 -->
      ### 🏁 agent-race: finished

      | Lane | Agent | Approach | State | Time |
      | --- | --- | --- | --- | --- |
      | 1 | claude | — | ✅ passed | 12.3s |
      | 2 | codex | — | ⏱️ timeout — agent timed out after 1800s | 12.3s |

      <sub>Race \`abc123\` · Commands: \`/pick N\` keeps lane N · \`/retry N\` runs lane N again · \`/race\` starts a new race · \`/help\` lists all</sub>
      "
    `);
  });

  it.each<[string, Partial<LaneStatusView>, Partial<StatusView>, string, string]>([
    ["queued", { step: "queued", startedAt: null }, {}, "⏳ queued", "—"],
    ["preparing", { step: "preparing" }, {}, "🛠️ preparing worktree", "1m05s"],
    ["setup", { step: "setup" }, {}, "🛠️ preparing worktree", "1m05s"],
    ["agent", { step: "agent" }, {}, "🤖 agent running", "1m05s"],
    ["committing", { step: "committing" }, {}, "📝 committing", "1m05s"],
    ["evaluating", { step: "evaluating" }, {}, "🧪 evaluating", "1m05s"],
    ["publishing", { step: "publishing" }, {}, "⬆️ pushing", "1m05s"],
    ["passed", { step: "done", status: "passed" }, {}, "✅ passed", "5.0s"],
    ["failed", { step: "done", status: "failed" }, {}, "❌ failed", "5.0s"],
    ["timeout", { step: "done", status: "timeout" }, {}, "⏱️ timeout", "5.0s"],
    ["error", { step: "done", status: "error" }, {}, "⚠️ error", "5.0s"],
    ["no-changes", { step: "done", status: "no-changes" }, {}, "➖ no changes", "5.0s"],
    ["cancelled mid-run", { step: "agent" }, { state: "cancelled" }, "🛑 cancelled", "5.0s"],
    ["race failed mid-run", { step: "agent" }, { state: "failed" }, "⚠️ stopped", "5.0s"],
    ["a detail", { step: "agent", detail: "turn 3 <b>" }, {}, "🤖 agent running — turn 3 &lt;b&gt;", "1m05s"],
    ["a secret in a detail", { step: "agent", detail: `using ghs_${"x".repeat(36)}` }, {}, "🤖 agent running — using \\[REDACTED\\]", "1m05s"],
  ])("shows the %s state and time", (_name, laneOverrides, viewOverrides, state, time) => {
    expect(cells(view({ lanes: [lane(laneOverrides)], ...viewOverrides }))).toEqual([state, time]);
  });

  it.each([
    ["queued", "### 🏁 agent-race: racing 1 lane (queued)"],
    ["running", "### 🏁 agent-race: racing 1 lane"],
    ["finishing", "### 🏁 agent-race: racing 1 lane (finishing up)"],
    ["done", "### 🏁 agent-race: finished"],
    ["cancelled", "### 🛑 agent-race: cancelled"],
    ["failed", "### ⚠️ agent-race: failed"],
  ] as const)("starts with the marker and the %s heading", (state, heading) => {
    const [first, second] = renderStatusComment(view({ state })).split("\n");
    expect([first, second]).toEqual([statusMarker("abc123"), heading]);
  });

  it.each([
    [{ for: [3], reason: "dependency" }, "### ⏸️ agent-race: 1 lane, waiting for #3"],
    [{ for: [3, 9], reason: "dependency" }, "### ⏸️ agent-race: 1 lane, waiting for #3, #9"],
    [{ for: [], reason: "slot" }, "### ⏸️ agent-race: 1 lane, waiting for a free race slot (`max_concurrent_races`)"],
    [{ for: [14], reason: "merge" }, "### ⏸️ agent-race: 1 lane, waiting for #14 to be merged or closed"],
  ] as const)("says what a waiting race waits for: %j", (waiting, heading) => {
    const text = renderStatusComment(view({ state: "waiting", waiting: { for: [...waiting.for], reason: waiting.reason } }));
    expect(text.split("\n")[1]).toBe(heading);
    expect(text).toContain("`/cancel` stops this race");
  });

  it("renders approach text inert", () => {
    const approach = "use `eval` | ping @octocat\n<script>alert(1)</script> [x](http://e)";
    const text = renderStatusComment(view({ lanes: [lane({ approach })] }));
    const row = text.split("\n").find((line) => line.startsWith("| 1 |")) ?? "";
    expect(row).toBe(
      "| 1 | claude | use \\`eval\\` \\| ping @\u200doctocat &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](http://e) | 🤖 agent running | 1m05s |",
    );
  });

  it("shows the message under the heading, redacted", () => {
    const text = renderStatusComment(view({ state: "failed", message: `Push failed: https://x-access-token:tok123@github.com` }));
    expect(text.split("\n")[3]).toBe("Push failed: https://x-access-token:[REDACTED]@github.com");
  });

  it("warns on every state when lanes run unsandboxed (sandbox: none), and only then", () => {
    for (const state of ["queued", "running", "done", "failed"] as const) {
      expect(renderStatusComment(view({ state, unsandboxed: true }))).toMatch(/> \[!WARNING\]\n> This server runs lanes \*\*unsandboxed\*\* \(`sandbox: none`\)/);
      expect(renderStatusComment(view({ state }))).not.toContain("unsandboxed");
    }
  });

  it("shows the sandbox cap status", () => {
    expect(cells(view({ lanes: [lane({ step: "done", status: "limit" })], state: "done" }))[0]).toContain("🧱 sandbox cap");
  });
});

describe("the status comment's footer", () => {
  it.each([
    ["running", "Commands: `/cancel` stops this race"],
    ["done", "Commands: `/pick N` keeps lane N"],
    ["cancelled", "Commands: `/race` starts a new race · `/help` lists all"],
  ] as const)("offers the commands that fit a %s race", (state, footer) => {
    expect(renderStatusComment(view({ state }))).toContain(footer);
  });
});
