import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `base64url(JSON).base64url(HMAC-SHA256)`: a value the browser holds but cannot forge or alter.
 * `exp` (epoch ms) is added on signing and enforced on verifying.
 */
export function signValue(secret: string, payload: Record<string, unknown>, ttlMs: number, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ ...payload, exp: now + ttlMs })).toString("base64url");
  return `${body}.${mac(secret, body)}`;
}

/** The payload when the signature holds and it has not expired, else null. */
export function verifyValue(secret: string, value: string | undefined, now = Date.now()): Record<string, unknown> | null {
  if (!value) return null;
  const [body, signature, extra] = value.split(".");
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return null;
    const record = payload as Record<string, unknown>;
    return typeof record.exp === "number" && record.exp > now ? record : null;
  } catch {
    return null;
  }
}

function mac(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("base64url");
}
