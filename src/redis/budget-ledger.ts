import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import type { RaceBudget } from "../config/repo-config.js";
import { budgetReason, reached, type BudgetGuard } from "../pipeline/budget-guard.js";

const DAY = 24 * 3600;
const stopMessageSchema = z.object({ raceId: z.string(), reason: z.string() });

export interface BudgetScope {
  raceId: string;
  installationId: number;
  /** The repo config's `budget`. */
  race: RaceBudget | undefined;
  /** The operator config's `budget.per_installation_usd_per_day`. */
  perInstallationPerDay: number | undefined;
}

/**
 * The App's spend books in Redis, shared by every worker: per race, and per installation per UTC
 * day (INCRBYFLOAT, kept 30 days and 2 days). When a race's spend reaches `per_race_usd`, a stop is
 * published and every worker stops that race's running agents; the race is not cancelled, so it
 * still finishes and opens PRs for lanes that passed.
 */
export class BudgetLedger {
  private readonly stops = new Map<string, Set<(reason: string) => void>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log?: Logger | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(...parts: Array<string | number>): string {
    return [this.prefix, "budget", ...parts].join(":");
  }

  private dayKey(installationId: number): string {
    return this.key("installation", installationId, this.now().toISOString().slice(0, 10));
  }

  /** Delivers race stops published by any worker to this process's lanes; needs its own connection. */
  async subscribe(subscriber: Redis): Promise<void> {
    const channel = this.key("stop");
    subscriber.on("message", (from: string, message: string) => {
      if (from !== channel) return;
      const parsed = stopMessageSchema.safeParse(tryJson(message));
      if (parsed.success) this.deliver(parsed.data.raceId, parsed.data.reason);
    });
    await subscriber.subscribe(channel);
  }

  async raceSpend(raceId: string): Promise<number> {
    return Number((await this.redis.get(this.key("race", raceId))) ?? 0);
  }

  async installationSpendToday(installationId: number): Promise<number> {
    return Number((await this.redis.get(this.dayKey(installationId))) ?? 0);
  }

  /** The budget one lane job runs under; spend is counted even when no limit is set. */
  guard(scope: BudgetScope): BudgetGuard {
    const laneSpent = new Map<number, number>();
    const perRace = scope.race?.per_race_usd;
    const perLane = scope.race?.per_lane_usd;
    const perDay = scope.perInstallationPerDay;
    return {
      admit: async () => {
        const [race, day] = await this.redis.mget(this.key("race", scope.raceId), this.dayKey(scope.installationId));
        if (reached(Number(race ?? 0), perRace)) return budgetReason("per_race_usd", perRace, Number(race));
        if (reached(Number(day ?? 0), perDay)) return budgetReason("per_installation_usd_per_day", perDay, Number(day));
        return null;
      },
      record: async (lane, totalUsd) => {
        // Per lane job attempt: a re-run's spend adds to the first attempt's, as it was really spent.
        const before = laneSpent.get(lane) ?? 0;
        const delta = totalUsd - before;
        if (delta <= 0) return null;
        laneSpent.set(lane, totalUsd);
        let race: number;
        let day: number;
        try {
          [race, day] = await this.add(scope, delta);
        } catch (error) {
          this.log?.warn({ race: scope.raceId, lane, err: (error as Error).message }, "budget spend not recorded");
          return null;
        }
        if (reached(race, perRace)) {
          const reason = budgetReason("per_race_usd", perRace, race);
          // Only the report that crossed the limit announces it; later ones stop just their own lane.
          if (!reached(race - delta, perRace)) await this.publishStop(scope.raceId, reason);
          return reason;
        }
        if (reached(totalUsd, perLane)) return budgetReason("per_lane_usd", perLane, totalUsd);
        if (reached(day, perDay)) return budgetReason("per_installation_usd_per_day", perDay, day);
        return null;
      },
      onRaceStop: (stop) => {
        const listeners = this.stops.get(scope.raceId) ?? new Set();
        listeners.add(stop);
        this.stops.set(scope.raceId, listeners);
        return () => {
          listeners.delete(stop);
          if (listeners.size === 0 && this.stops.get(scope.raceId) === listeners) this.stops.delete(scope.raceId);
        };
      },
    };
  }

  private async add(scope: BudgetScope, delta: number): Promise<[number, number]> {
    const raceKey = this.key("race", scope.raceId);
    const dayKey = this.dayKey(scope.installationId);
    const replies = await this.redis
      .multi()
      .incrbyfloat(raceKey, delta)
      .expire(raceKey, 30 * DAY)
      .incrbyfloat(dayKey, delta)
      .expire(dayKey, 2 * DAY)
      .exec();
    const value = (i: number): number => {
      const [error, reply] = replies?.[i] ?? [new Error("transaction aborted"), null];
      if (error) throw error;
      return Number(reply);
    };
    return [value(0), value(2)];
  }

  private async publishStop(raceId: string, reason: string): Promise<void> {
    try {
      await this.redis.publish(this.key("stop"), JSON.stringify({ raceId, reason }));
    } catch (error) {
      // The lanes still stop at their next report, and unstarted lanes are not admitted.
      this.log?.warn({ race: raceId, err: (error as Error).message }, "budget stop not published");
    }
  }

  private deliver(raceId: string, reason: string): void {
    for (const stop of [...(this.stops.get(raceId) ?? [])]) stop(reason);
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
