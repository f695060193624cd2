import type { Redis } from "ioredis";

/** GitHub's redelivery window: a delivery id is remembered this long (s). */
const KEEP_S = 3 * 24 * 3600;

/** Webhook delivery dedup in Redis: each delivery id is handled once (`<prefix>:delivery:<id>`). */
export class DeliveryClaims {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(deliveryId: string): string {
    return [this.prefix, "delivery", deliveryId].join(":");
  }

  /** True the first time a delivery id is seen. */
  async claim(deliveryId: string): Promise<boolean> {
    return (await this.redis.set(this.key(deliveryId), "1", "EX", KEEP_S, "NX")) === "OK";
  }

  /** Forgets a delivery whose trigger could not be queued or finally failed, so a redelivery is handled again. */
  async forget(deliveryId: string): Promise<void> {
    await this.redis.del(this.key(deliveryId));
  }
}
