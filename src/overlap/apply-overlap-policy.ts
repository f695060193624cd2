import type { LaneResult } from "../model/race-report.js";
import type { ClassifiedOverlap, OverlapPolicy } from "../model/overlap.js";

/** What the policy needs of a lane. */
export type PolicyLane = Pick<LaneResult, "lane" | "status" | "score">;

export interface OverlapPolicyResult {
  /** `penalize`: lanes that conflict with an open PR; ranking puts them after lanes with equal eval results that do not. */
  penalized: ReadonlySet<number>;
  /** `block`: passing lanes that conflict with open PRs → those PR numbers (sorted); they must not open a PR. */
  blocked: ReadonlyMap<number, number[]>;
}

/**
 * What the repository's overlap policy does with classified overlaps: `warn` changes nothing (the overlaps
 * are only shown), `penalize` marks conflicting lanes for ranking, `block` stops conflicting passing lanes
 * from opening a PR. Clean overlaps never count. Pure.
 */
export function applyOverlapPolicy(lanes: readonly PolicyLane[], overlaps: readonly ClassifiedOverlap[], policy: OverlapPolicy): OverlapPolicyResult {
  const conflicting = new Map<number, Set<number>>();
  for (const o of overlaps) {
    if (o.kind !== "conflict") continue;
    const prs = conflicting.get(o.lane) ?? new Set<number>();
    prs.add(o.pr.number);
    conflicting.set(o.lane, prs);
  }
  const penalized = new Set<number>();
  const blocked = new Map<number, number[]>();
  for (const lane of [...lanes].sort((a, b) => a.lane - b.lane)) {
    const prs = conflicting.get(lane.lane);
    if (!prs) continue;
    if (policy === "penalize") penalized.add(lane.lane);
    if (policy === "block" && lane.status === "passed") blocked.set(lane.lane, [...prs].sort((a, b) => a - b));
  }
  return { penalized, blocked };
}
