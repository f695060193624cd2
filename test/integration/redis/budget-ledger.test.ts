import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BudgetLedger } from "../../../src/redis/budget-ledger.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `agent-race-test-${randomUUID()}`;
const log = pino({ level: "silent" });
let redis: Redis;
const subscribers: Redis[] = [];

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await Promise.all([redis, ...subscribers].map((c) => c.quit()));
});

/** A ledger as one worker process has it: its own subscriber connection. */
async function worker(now?: () => Date): Promise<BudgetLedger> {
  const subscriber = new Redis(REDIS_URL);
  subscribers.push(subscriber);
  const ledger = new BudgetLedger(redis, prefix, log, now);
  await ledger.subscribe(subscriber);
  return ledger;
}

let nextInstallation = 1000;
const scope = (raceId: string, race: { per_race_usd?: number; per_lane_usd?: number } = {}, perDay?: number, installationId = ++nextInstallation) => ({
  raceId, installationId, race, perInstallationPerDay: perDay,
});
const until = async (check: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("BudgetLedger", () => {
  it("adds up a race's spend across workers and stops every lane of that race when it reaches per_race_usd", async () => {
    const [a, b] = [await worker(), await worker()];
    const s = scope("race1", { per_race_usd: 1 });
    const lane1 = a.guard(s);
    const lane2 = b.guard(s);
    const other = b.guard(scope("race2", { per_race_usd: 1 }, undefined, s.installationId));
    const stops: string[] = [];
    lane1.onRaceStop((reason) => stops.push(`lane1: ${reason}`));
    lane2.onRaceStop((reason) => stops.push(`lane2: ${reason}`));
    other.onRaceStop((reason) => stops.push(`other race: ${reason}`));

    expect(await lane1.admit(1)).toBeNull();
    expect(await lane1.record(1, 0.25)).toBeNull();
    expect(await lane1.record(1, 0.25)).toBeNull(); // cumulative: the same total again adds nothing
    expect(await lane2.record(2, 0.5)).toBeNull();
    expect(await a.raceSpend("race1")).toBeCloseTo(0.75);

    expect(await lane1.record(1, 0.6)).toBe("budget per_race_usd $1.00 reached ($1.10 spent)");
    await until(() => stops.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(stops.sort()).toEqual(["lane1: budget per_race_usd $1.00 reached ($1.10 spent)", "lane2: budget per_race_usd $1.00 reached ($1.10 spent)"]);
    // A lane that starts later is not admitted; one still running stops at its next report.
    expect(await b.guard(s).admit(3)).toBe("budget per_race_usd $1.00 reached ($1.10 spent)");
    expect(await lane2.record(2, 0.55)).toMatch(/^budget per_race_usd \$1\.00 reached \(\$1\.15 spent\)$/);
    expect(await other.admit(1)).toBeNull();
    expect(await redis.ttl(`${prefix}:budget:race:race1`)).toBeGreaterThan(29 * 24 * 3600);
  });

  it("stops a lane at per_lane_usd without stopping the race, and counts a re-run attempt's spend on top", async () => {
    const ledger = await worker();
    const s = scope("race3", { per_lane_usd: 0.5, per_race_usd: 5 });
    const stops: string[] = [];
    const first = ledger.guard(s);
    first.onRaceStop((reason) => stops.push(reason));
    expect(await first.record(1, 0.4)).toBeNull();
    expect(await first.record(1, 0.5)).toBe("budget per_lane_usd $0.50 reached ($0.50 spent)");
    // The job was retried (a stalled worker): a fresh attempt starts its count at 0 but the race paid for both.
    const retry = ledger.guard(s);
    expect(await retry.record(1, 0.3)).toBeNull();
    expect(await ledger.raceSpend("race3")).toBeCloseTo(0.8);
    await new Promise((r) => setTimeout(r, 100));
    expect(stops).toEqual([]);
  });

  it("holds every race of an installation to per_installation_usd_per_day, per UTC day", async () => {
    let now = new Date("2026-03-01T23:50:00Z");
    const ledger = await worker(() => now);
    const installation = ++nextInstallation;
    const raceA = ledger.guard(scope("race4", {}, 2, installation));
    const raceB = ledger.guard(scope("race5", {}, 2, installation));
    const elsewhere = ledger.guard(scope("race6", {}, 2));

    expect(await raceA.record(1, 1.5)).toBeNull();
    expect(await raceB.admit(1)).toBeNull();
    expect(await raceB.record(1, 0.6)).toBe("budget per_installation_usd_per_day $2.00 reached ($2.10 spent today)");
    expect(await ledger.installationSpendToday(installation)).toBeCloseTo(2.1);
    // New lanes of any race of the installation are refused; another installation is not affected.
    expect(await ledger.guard(scope("race7", {}, 2, installation)).admit(1)).toBe("budget per_installation_usd_per_day $2.00 reached ($2.10 spent today)");
    expect(await raceA.record(1, 1.6)).toMatch(/per_installation_usd_per_day/);
    expect(await elsewhere.admit(1)).toBeNull();
    const ttl = await redis.ttl(`${prefix}:budget:installation:${installation}:2026-03-01`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2 * 24 * 3600);

    // After midnight UTC the day starts over.
    now = new Date("2026-03-02T00:05:00Z");
    expect(await ledger.guard(scope("race8", {}, 2, installation)).admit(1)).toBeNull();
    expect(await ledger.installationSpendToday(installation)).toBe(0);
  });

  it("counts spend even without limits, and stops nothing", async () => {
    const ledger = await worker();
    const s = scope("race9");
    const guard = ledger.guard(s);
    expect(await guard.record(1, 3)).toBeNull();
    expect(await guard.admit(2)).toBeNull();
    expect(await ledger.raceSpend("race9")).toBe(3);
    expect(await ledger.installationSpendToday(s.installationId)).toBe(3);
  });
});
