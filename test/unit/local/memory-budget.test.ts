import { describe, expect, it } from "vitest";
import { MemoryBudget } from "../../../src/local/memory-budget.js";

describe("MemoryBudget", () => {
  it("stops a lane at per_lane_usd without stopping the race", async () => {
    const budget = new MemoryBudget({ per_lane_usd: 0.3 });
    const stops: string[] = [];
    budget.onRaceStop((reason) => stops.push(reason));
    expect(await budget.record(1, 0.1)).toBeNull();
    expect(await budget.record(1, 0.2)).toBeNull();
    expect(await budget.record(1, 0.3)).toBe("budget per_lane_usd $0.30 reached ($0.30 spent)");
    expect(await budget.record(2, 0.25)).toBeNull();
    expect(await budget.admit()).toBeNull();
    expect(stops).toEqual([]);
    expect(budget.spentUsd).toBeCloseTo(0.55);
  });

  it("counts cumulative reports once, and never lets a lower report lower the spend", async () => {
    const budget = new MemoryBudget({ per_race_usd: 10 });
    await budget.record(1, 0.5);
    await budget.record(1, 0.5);
    await budget.record(1, 0.4);
    await budget.record(2, 1);
    expect(budget.spentUsd).toBeCloseTo(1.5);
  });

  it("stops every lane once when the race total reaches per_race_usd, and admits no more lanes", async () => {
    const budget = new MemoryBudget({ per_race_usd: 1 });
    const stops: string[] = [];
    const unsubscribe = budget.onRaceStop((reason) => stops.push(`a: ${reason}`));
    budget.onRaceStop((reason) => stops.push(`b: ${reason}`));
    expect(await budget.record(1, 0.6)).toBeNull();
    expect(await budget.admit()).toBeNull();
    expect(await budget.record(2, 0.45)).toBe("budget per_race_usd $1.00 reached ($1.05 spent)");
    expect(stops).toEqual(["a: budget per_race_usd $1.00 reached ($1.05 spent)", "b: budget per_race_usd $1.00 reached ($1.05 spent)"]);
    expect(await budget.admit()).toBe("budget per_race_usd $1.00 reached ($1.05 spent)");
    unsubscribe();
    await budget.record(1, 0.9);
    expect(stops).toHaveLength(2);
  });

  it("reaches a limit that float sums land just under", async () => {
    const budget = new MemoryBudget({ per_race_usd: 0.3 });
    await budget.record(1, 0.1);
    expect(await budget.record(2, 0.2)).toMatch(/per_race_usd/);
  });
});
