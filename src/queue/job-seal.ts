import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/** The field a sealed job's signature travels in, next to the payload. */
export const SIG_FIELD = "sig";

export type Opened = { ok: true; data: unknown } | { ok: false; reason: string };

/**
 * Signs job payloads with an HMAC key that only the app's processes hold (never a lane: agents get an
 * allowlisted environment), so a lane that can reach Redis cannot rewrite a queued job's `cloneUrl`,
 * `configText` or task. Without a key (tests) it neither signs nor checks.
 */
export class JobSeal {
  constructor(private readonly key: Buffer | null) {}

  get enabled(): boolean {
    return this.key !== null;
  }

  /** `data` with its signature added, over the JSON text BullMQ stores (key order is kept through the round trip). */
  seal<T extends object>(data: T): T {
    if (!this.key) return data;
    return { ...data, [SIG_FIELD]: this.mac(JSON.stringify(data)) };
  }

  /** The payload without its signature, or why it is refused (missing, wrong). */
  open(data: unknown): Opened {
    if (!this.key) return { ok: true, data };
    if (typeof data !== "object" || data === null || Array.isArray(data)) return { ok: false, reason: "job data is not an object" };
    const { [SIG_FIELD]: sig, ...rest } = data as Record<string, unknown>;
    if (typeof sig !== "string") return { ok: false, reason: "job data is not signed" };
    const want = Buffer.from(this.mac(JSON.stringify(rest)), "hex");
    const got = Buffer.from(sig, "hex");
    if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: "job data signature does not match: the job was changed in Redis" };
    return { ok: true, data: rest };
  }

  private mac(text: string): string {
    return createHmac("sha256", this.key as Buffer).update(text, "utf8").digest("hex");
  }
}

/**
 * The job key: `AGENT_RACE_JOB_KEY` when set, else derived (HKDF-SHA256) from the App's private key, which
 * every server and worker process of one deployment has. Null when neither is there (no signing).
 */
export function jobKey(source: { AGENT_RACE_JOB_KEY?: string | undefined; privateKey?: string | undefined }): Buffer | null {
  const secret = source.AGENT_RACE_JOB_KEY ?? source.privateKey;
  if (!secret) return null;
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.from("agent-race", "utf8"), Buffer.from("job-seal v1", "utf8"), 32));
}
