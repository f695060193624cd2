import type { Redis } from "ioredis";
import { z } from "zod";

/** A running agent's process group, recorded so a worker on the same host can kill it once its own worker is gone. */
export const agentGroupSchema = z.object({
  /** The agent's pid, which is its process group id (agents are spawned detached). */
  pgid: z.number().int().positive(),
  /** The agent's start time (clock ticks since boot): a reused pid has another. */
  startTime: z.number().int().nonnegative(),
  workerPid: z.number().int().positive(),
  workerStartTime: z.number().int().nonnegative(),
  raceId: z.string(),
  lane: z.number().int(),
  at: z.number(),
});
export type AgentGroup = z.output<typeof agentGroupSchema>;

const DAY = 24 * 3600;
const DELETE_IF_SAME = `if redis.call("HGET", KEYS[1], ARGV[1]) == ARGV[2] then return redis.call("HDEL", KEYS[1], ARGV[1]) else return 0 end`;

/**
 * The agent process groups running on one host (`host`: see `hostIdentity`), one hash field per
 * lane job id. Pids mean nothing on another host, so each host only ever reads its own hash.
 */
export class AgentGroups {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly host: string,
  ) {}

  private key(): string {
    return [this.prefix, "agent-groups", this.host].join(":");
  }

  async add(jobId: string, group: AgentGroup): Promise<void> {
    await this.redis.multi().hset(this.key(), jobId, serialize(group)).expire(this.key(), 7 * DAY).exec();
  }

  /** Removes the job's record if it is still `group` (a later run of the same lane may have replaced it). */
  async remove(jobId: string, group: AgentGroup): Promise<void> {
    await this.redis.eval(DELETE_IF_SAME, 1, this.key(), jobId, serialize(group));
  }

  async get(jobId: string): Promise<AgentGroup | null> {
    const raw = await this.redis.hget(this.key(), jobId);
    return raw === null ? null : parse(raw);
  }

  /** Every record of this host, by lane job id (unreadable ones dropped). */
  async all(): Promise<Array<{ jobId: string; group: AgentGroup }>> {
    const entries = Object.entries(await this.redis.hgetall(this.key()));
    return entries.flatMap(([jobId, raw]) => {
      const group = parse(raw);
      return group ? [{ jobId, group }] : [];
    });
  }
}

/** The same record always serializes to the same text (schema key order), so `remove` can compare it. */
function serialize(group: AgentGroup): string {
  return JSON.stringify(agentGroupSchema.parse(group));
}

function parse(raw: string): AgentGroup | null {
  try {
    const parsed = agentGroupSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
