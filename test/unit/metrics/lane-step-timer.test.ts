import { describe, expect, it } from "vitest";
import { LaneStepTimer } from "../../../src/metrics/lane-step-timer.js";

describe("lane step timer", () => {
  it("folds preparing and setup into provision and returns totals on done", () => {
    const timer = new LaneStepTimer();
    timer.start("r:1", 0);
    expect(timer.event("r:1", "preparing", 2000)).toBeNull();
    timer.event("r:1", "setup", 3000);
    timer.event("r:1", "agent", 5000);
    timer.event("r:1", "committing", 9000);
    expect(new Map(timer.event("r:1", "done", 9500))).toEqual(new Map([["provision", 5], ["agent", 4], ["commit", 0.5]]));
    expect(timer.event("r:1", "done", 10_000)).toBeNull();
  });

  it("opens a lane it missed the start of at its first event", () => {
    const timer = new LaneStepTimer();
    timer.event("r:2", "agent", 1000);
    expect(timer.event("r:2", "done", 4000)).toEqual([["agent", 3]]);
  });
});
