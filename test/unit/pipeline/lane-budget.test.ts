import { describe, expect, it } from "vitest";
import { LaneBudget, OWN_REPORT_GRACE_MS } from "../../../src/pipeline/lane-budget.js";
import { MemoryBudget } from "../../../src/local/memory-budget.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function lane(budget: MemoryBudget, n: number, signal?: AbortSignal): Promise<LaneBudget> {
  const started = await LaneBudget.start(budget, n, signal);
  if (typeof started === "string") throw new Error(started);
  return started;
}

describe("LaneBudget", () => {
  it("refuses to start a lane once the race's budget is spent", async () => {
    const budget = new MemoryBudget({ per_race_usd: 1 });
    await budget.record(1, 1.2);
    expect(await LaneBudget.start(budget, 2, undefined)).toBe("not started: budget per_race_usd $1.00 reached ($1.20 spent)");
  });

  it("stops the other lanes at once when one lane spends the race's budget, and the spender after a grace", async () => {
    const budget = new MemoryBudget({ per_race_usd: 1 });
    const spender = await lane(budget, 1);
    const other = await lane(budget, 2);
    spender.report(1.1);
    await sleep(10);
    expect(other.signal.aborted).toBe(true);
    expect(other.stopReason).toBe("stopped: budget per_race_usd $1.00 reached ($1.10 spent)");
    expect(spender.signal.aborted).toBe(false);
    expect(spender.stopReason).toBeNull();
    await sleep(OWN_REPORT_GRACE_MS + 50);
    expect(spender.signal.aborted).toBe(true);
    expect(spender.stopReason).toBe("stopped: budget per_race_usd $1.00 reached ($1.10 spent)");
  });

  it("does not stop an agent that ends within the grace after its last report, but remembers the limit", async () => {
    const budget = new MemoryBudget({ per_lane_usd: 0.5 });
    const finisher = await lane(budget, 1);
    finisher.report(0.7);
    await sleep(10);
    await finisher.settle(0.7);
    await sleep(OWN_REPORT_GRACE_MS + 50);
    expect(finisher.signal.aborted).toBe(false);
    expect(finisher.stopReason).toBeNull();
    expect(finisher.reached).toBe("budget per_lane_usd $0.50 reached ($0.70 spent)");
  });

  it("no longer hears race stops after it settled, and follows the lane's own signal", async () => {
    const budget = new MemoryBudget({ per_race_usd: 1 });
    const cancel = new AbortController();
    const done = await lane(budget, 1, cancel.signal);
    await done.settle(null);
    await budget.record(2, 2);
    expect(done.signal.aborted).toBe(false);
    cancel.abort();
    expect(done.signal.aborted).toBe(true);
    expect(done.stopReason).toBeNull();
  });
});
