import type { Redis } from "ioredis";

/** How long a generated PR stays linked to its race and lane (s). */
const KEEP_S = 90 * 24 * 3600;

/** Which race and lane each generated PR belongs to, in Redis (`<prefix>:pr:<repo id>:<number>`). */
export class PullRequestLinks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(repoId: number, prNumber: number): string {
    return [this.prefix, "pr", repoId, prNumber].join(":");
  }

  /** Remembers which race and lane a generated PR belongs to. */
  async link(repoId: number, prNumber: number, raceId: string, lane: number): Promise<void> {
    await this.redis.set(this.key(repoId, prNumber), `${raceId}:${lane}`, "EX", KEEP_S);
  }

  /** The race and lane of a generated PR, or null for any other PR. */
  async laneOf(repoId: number, prNumber: number): Promise<{ raceId: string; lane: number } | null> {
    const raw = await this.redis.get(this.key(repoId, prNumber));
    const [raceId, lane] = raw?.split(":") ?? [];
    return raceId && lane ? { raceId, lane: Number(lane) } : null;
  }
}
