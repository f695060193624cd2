import type { Redis } from "ioredis";

/** A part of agent-race's Redis state: its connection, and keys under the deployment's prefix. */
export abstract class RedisKeys {
  constructor(
    protected readonly redis: Redis,
    protected readonly prefix: string,
  ) {}

  /** `<prefix>:<part>:<part>…` */
  protected key(...parts: Array<string | number>): string {
    return [this.prefix, ...parts].join(":");
  }
}
