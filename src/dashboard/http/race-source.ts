import { z } from "zod";
import type { LaneState, RaceMeta } from "../../model/race-state.js";
import type { RaceSnapshot } from "../views/race-summary.js";

const RACE_ID = /^[a-z0-9]+$/;
const jobTrigger = z.object({ trigger: z.string() });

/** Where the dashboard reads races from (`redis/race-records.ts`). */
export interface RaceReader {
  /** The ids of the most recent races, newest first. */
  recent(limit: number): Promise<string[]>;
  get(raceId: string): Promise<RaceMeta | null>;
  lanes(raceId: string): Promise<LaneState[]>;
}

/** The data of a race's job, or undefined while there is none (`queue/queue-handles.ts`). */
export type RaceJobLookup = (raceId: string) => Promise<unknown>;

/**
 * Reads races for the dashboard from the race records. The recent list is cached briefly so any number
 * of open pages cost one read per interval; the trigger kind comes once per race from its job.
 */
export class RaceSource {
  private recentCache: { at: number; value: Promise<RaceSnapshot[]> } | null = null;
  private readonly triggers = new Map<string, string | null>();

  constructor(
    private readonly races: RaceReader,
    private readonly raceJob: RaceJobLookup,
    private readonly options: { limit?: number; cacheMs?: number } = {},
  ) {}

  /** The most recent races, newest first. */
  recent(): Promise<RaceSnapshot[]> {
    const now = Date.now();
    if (this.recentCache && now - this.recentCache.at < (this.options.cacheMs ?? 500)) return this.recentCache.value;
    const value = this.races.recent(this.options.limit ?? 50)
      .then(async (ids) => (await Promise.all(ids.map((id) => this.load(id)))).filter((s): s is RaceSnapshot => s !== null));
    this.recentCache = { at: now, value };
    value.catch(() => {
      if (this.recentCache?.value === value) this.recentCache = null;
    });
    return value;
  }

  /** One race by id; null for an unknown or malformed id. */
  async race(id: string): Promise<RaceSnapshot | null> {
    return RACE_ID.test(id) ? this.load(id) : null;
  }

  private async load(id: string): Promise<RaceSnapshot | null> {
    const [meta, lanes] = await Promise.all([this.races.get(id), this.races.lanes(id)]);
    if (!meta) return null;
    return { meta, lanes, trigger: await this.trigger(id, meta.createdAt) };
  }

  private async trigger(id: string, createdAt: number): Promise<string | null> {
    const known = this.triggers.get(id);
    if (known !== undefined) return known;
    const parsed = jobTrigger.safeParse(await this.raceJob(id).catch(() => undefined));
    const trigger = parsed.success ? parsed.data.trigger : null;
    // A job not there yet (the race is being created) is asked again; one long gone is not.
    if (trigger !== null || Date.now() - createdAt > 5 * 60_000) {
      if (this.triggers.size >= 5000) this.triggers.clear();
      this.triggers.set(id, trigger);
    }
    return trigger;
  }
}
