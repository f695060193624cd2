import type { LaneState, RaceMeta, RaceState } from "../../model/race-state.js";

/** What the registry holds about one race, plus the trigger kind read from its BullMQ job. */
export interface RaceSnapshot {
  meta: RaceMeta;
  lanes: LaneState[];
  /** `label`, `comment` or `retry` (the race job's `trigger`), null when the job is gone. */
  trigger: string | null;
}

export interface RaceSummary {
  id: string;
  repo: string;
  repoUrl: string;
  issueNumber: number;
  issueTitle: string;
  issueUrl: string;
  trigger: string;
  sender: string;
  /** The registry's state, except a queued race whose lanes have started shows as running. */
  state: RaceState;
  createdAt: number;
  finishedAt: number | null;
  /** Sum of the lanes' known `cost_usd`; null while no lane reported one. */
  costUsd: number | null;
  winner: { lane: number; agent: string } | null;
  prs: Array<{ lane: number; number: number; url: string }>;
}

export function repoFullName(meta: RaceMeta): string {
  return `${meta.repo.owner}/${meta.repo.name}`;
}

export function isRunning(state: RaceState): boolean {
  return state === "waiting" || state === "queued" || state === "running" || state === "finishing";
}

export function triggerLabel(trigger: string | null, single: boolean): string {
  if (trigger === "label") return single ? "label agent:run" : "label agent:race";
  if (trigger === "comment") return "/race comment";
  if (trigger === "retry") return "/retry";
  return single ? "agent:run" : "race";
}

/** The row the race list shows, derived from the registry's meta and lane states. */
export function summarizeRace(snapshot: RaceSnapshot): RaceSummary {
  const { meta, lanes } = snapshot;
  const reported = new Map((meta.report?.lanes ?? []).map((lane) => [lane.lane, lane]));
  const costs = meta.lanes.map((plan) => lanes.find((l) => l.lane === plan.lane)?.result?.cost_usd ?? reported.get(plan.lane)?.cost_usd ?? null);
  const known = costs.filter((cost): cost is number => cost !== null);
  const winnerLane = meta.report?.winner ?? null;
  const winnerAgent = winnerLane === null ? null : (reported.get(winnerLane)?.agent ?? meta.lanes.find((l) => l.lane === winnerLane)?.agent ?? "?");
  return {
    id: meta.raceId, repo: repoFullName(meta), repoUrl: meta.repo.htmlUrl, issueNumber: meta.issueNumber, issueTitle: meta.issueTitle,
    issueUrl: `${meta.repo.htmlUrl}/issues/${meta.issueNumber}`, trigger: triggerLabel(snapshot.trigger, meta.single), sender: meta.sender,
    state: meta.state === "queued" && lanes.some((l) => l.step !== "queued") ? "running" : meta.state, createdAt: meta.createdAt, finishedAt: meta.finishedAt,
    costUsd: known.length > 0 ? known.reduce((a, b) => a + b, 0) : null,
    winner: winnerLane === null || winnerAgent === null ? null : { lane: winnerLane, agent: winnerAgent },
    prs: Object.entries(meta.prs).map(([lane, pr]) => ({ lane: Number(lane), number: pr.number, url: pr.url })).sort((a, b) => a.lane - b.lane),
  };
}
