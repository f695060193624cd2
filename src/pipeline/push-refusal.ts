import type { LaneResult } from "../model/race-report.js";

/**
 * Why a finished lane is not pushed to GitHub, or null when it is: lanes that changed protected paths
 * never are; lanes that did not pass their required evals only with `push_failed: true` (a push with the
 * installation token runs the repo's CI on the agent's code). A lane without commits has nothing to push.
 */
export function pushRefusal(lane: Pick<LaneResult, "status" | "head">, pushFailed: boolean): string | null {
  if (lane.head === null) return "nothing to push";
  if (lane.status === "protected") return "not pushed: it changes protected paths";
  if (lane.status !== "passed" && !pushFailed) return `not pushed: the lane did not pass (${lane.status}); \`push_failed: true\` pushes such lanes`;
  return null;
}
