import type { Redis } from "ioredis";
import { BranchExpiry } from "./branch-expiry.js";
import { Cancellations } from "./cancellations.js";
import { DeliveryClaims } from "./delivery-claims.js";
import { IssueClaims } from "./issue-claims.js";
import { PullRequestLinks } from "./pull-request-links.js";
import { RaceRecords } from "./race-records.js";
import { RaceWaits } from "./race-waits.js";

/**
 * Durable race bookkeeping in Redis, one part per concern, all under one key prefix: delivery
 * dedup, the one running race per issue, race and lane state, generated PRs' races, cancellation,
 * closed PRs' branch expiry, and what waiting races wait for.
 */
export class RaceRegistry {
  /** Webhook delivery ids already handled. */
  readonly deliveries: DeliveryClaims;
  /** The race running on each issue, its newest race, and its start lock. */
  readonly issues: IssueClaims;
  /** Race meta and lane states, and the recent races. */
  readonly races: RaceRecords;
  /** Which race and lane a generated PR belongs to. */
  readonly pullRequests: PullRequestLinks;
  /** `/cancel` requests, cancelled races and the cancel channel. */
  readonly cancels: Cancellations;
  /** Closed PRs' branches waiting out `branch_retention_days`. */
  readonly branches: BranchExpiry;
  /** Races waiting for dependencies, merges and race slots. */
  readonly waits: RaceWaits;

  constructor(redis: Redis, prefix: string) {
    this.deliveries = new DeliveryClaims(redis, prefix);
    this.issues = new IssueClaims(redis, prefix);
    this.races = new RaceRecords(redis, prefix);
    this.pullRequests = new PullRequestLinks(redis, prefix);
    this.cancels = new Cancellations(redis, prefix);
    this.branches = new BranchExpiry(redis, prefix);
    this.waits = new RaceWaits(redis, prefix);
  }
}
