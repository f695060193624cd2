import type { LaneState, RaceMeta } from "../../../src/model/race-state.js";
import type { RaceSnapshot } from "../../../src/dashboard/views/race-summary.js";
import { laneResult } from "../github/race-fixtures.js";

export const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A two-lane race on acme/widgets, running; override what a test cares about. */
export function raceMeta(overrides: Partial<RaceMeta> = {}): RaceMeta {
  return {
    raceId: "abc123", installationId: 1,
    repo: { id: 7, owner: "acme", name: "widgets", cloneUrl: "https://github.com/acme/widgets.git", htmlUrl: "https://github.com/acme/widgets", defaultBranch: "main" },
    issueNumber: 12, issueTitle: "Fix the parser", task: "Fix the parser", baseSha: "f".repeat(40), mode: "best", single: false, sender: "alice",
    state: "running", statusCommentId: 1, comparisonCommentId: null, createdAt: NOW - 65_000, finishedAt: null,
    lanes: [
      { lane: 1, agent: "claude", approach: null, branch: "agent-race/12-fix-abc123/1-claude" },
      { lane: 2, agent: "codex", approach: "use a trie", branch: "agent-race/12-fix-abc123/2-codex" },
    ],
    prs: {}, report: null, message: null, ...overrides,
  };
}

export function laneState(overrides: Partial<LaneState> = {}): LaneState {
  return { lane: 1, agent: "claude", approach: null, step: "agent", startedAt: NOW - 30_000, updatedAt: NOW - 1000, ...overrides };
}

export function snapshot(meta: Partial<RaceMeta> = {}, lanes: LaneState[] = [laneState()], trigger: string | null = "label"): RaceSnapshot {
  return { meta: raceMeta(meta), lanes, trigger };
}

export function finishedLane(lane: number, overrides: Parameters<typeof laneResult>[0] = {}): LaneState {
  return laneState({ lane, step: "done", status: overrides.status ?? "passed", result: laneResult({ lane, ...overrides }) });
}
