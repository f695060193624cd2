import { describe, expect, it } from "vitest";
import type { LaneResult } from "../../../src/model/race-report.js";
import { laneSpend, spendTotal } from "../../../src/report/spend-total.js";

const lane = (cost_usd: number | null, duration_ms: number) => ({ cost_usd, duration_ms }) as LaneResult;

describe("spend", () => {
  it("shows a lane's reported cost, else its wall time", () => {
    expect(laneSpend(lane(0.4167, 5000))).toBe("$0.42");
    expect(laneSpend(lane(0, 5000))).toBe("$0.00");
    expect(laneSpend(lane(null, 61_000))).toBe("1m01s wall");
  });

  it.each([
    ["every lane reported a cost", [lane(0.4, 1000), lane(0.25, 2000)], "$0.65 reported by 2 lanes"],
    ["no lane reported a cost", [lane(null, 1500), lane(null, 2500)], "4.0s wall time of 2 lanes without a reported cost"],
    ["a mix", [lane(0.1, 1000), lane(null, 3000)], "$0.10 reported by 1 lane + 3.0s wall time of 1 lane without a reported cost"],
    ["no lanes", [], "nothing"],
  ])("totals the race when %s", (_name, lanes, expected) => {
    expect(spendTotal(lanes)).toBe(expected);
  });
});
