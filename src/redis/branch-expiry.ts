import type { Redis } from "ioredis";

/** A generated PR's branch waiting out `branch_retention_days` after the PR was closed unmerged. */
export interface ExpiringBranch {
  installationId: number;
  owner: string;
  repo: string;
  branch: string;
  prNumber: number;
}

/** Closed PRs' branches by the time they may be deleted, in one Redis sorted set (`<prefix>:expiring-branches`). */
export class BranchExpiry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(): string {
    return [this.prefix, "expiring-branches"].join(":");
  }

  /** Schedules a closed PR's branch for deletion at `at` (epoch ms). */
  async schedule(entry: ExpiringBranch, at: number): Promise<void> {
    await this.redis.zadd(this.key(), at, JSON.stringify(entry));
  }

  /** Removes and returns every branch whose retention ended before `now`. */
  async takeExpired(now: number): Promise<ExpiringBranch[]> {
    const key = this.key();
    const members = await this.redis.zrangebyscore(key, "-inf", now);
    const taken: ExpiringBranch[] = [];
    for (const member of members) {
      if ((await this.redis.zrem(key, member)) === 1) taken.push(JSON.parse(member) as ExpiringBranch);
    }
    return taken;
  }
}
