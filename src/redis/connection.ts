import { isIP } from "node:net";
import { Redis, type RedisOptions } from "ioredis";

/**
 * ioredis options from `REDIS_URL`: `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS
 * (the server's certificate is verified against the host name or IP address, with Node's CAs plus
 * `NODE_EXTRA_CA_CERTS` for a private CA). The password never appears in errors.
 */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("REDIS_URL is not a URL (expected redis://[user:password@]host:port/db or rediss://…)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw new Error(`REDIS_URL must start with redis:// or rediss://, not ${parsed.protocol}//`);
  const host = parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error("REDIS_URL's path must be a database number");
  return {
    host,
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    // SNI takes a host name only (an IP address there is deprecated); the certificate is checked against either.
    ...(parsed.protocol === "rediss:" ? { tls: isIP(host) ? {} : { servername: host } } : {}),
  };
}

/**
 * Redis connections for BullMQ. Workers wait forever for Redis (`maxRetriesPerRequest: null`);
 * producers on the webhook path fail fast instead of buffering while Redis is down.
 */
export function createRedis(url: string, role: "worker" | "producer"): Redis {
  return new Redis({
    ...redisOptions(url),
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    lazyConnect: false,
    retryStrategy: (times) => Math.min(1000 * 2 ** times, 20_000),
  });
}

/** Node's codes for a server certificate that does not verify (untrusted CA, wrong name, expired). */
const CERT_ERRORS = /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_UNTRUSTED|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_SIGNATURE_FAILURE|CERT_REJECTED)$/;

/**
 * Waits until a connection is ready and refuses a Redis that may evict BullMQ's keys. A Redis that refuses
 * the credentials (wrong or missing password) or whose TLS certificate does not verify fails here with a
 * message that says so, and is disconnected; a connection closed before Redis answered fails too (no hang).
 */
export async function checkRedis(redis: Redis): Promise<void> {
  if (redis.status !== "ready") {
    await new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        redis.off("ready", onReady);
        redis.off("error", onError);
        redis.off("close", onClose);
      };
      const onReady = (): void => {
        settle();
        resolve();
      };
      const onError = (error: Error): void => {
        settle();
        reject(error);
      };
      const onClose = (): void => {
        settle();
        reject(new Error("the connection was closed before Redis answered"));
      };
      redis.once("ready", onReady);
      redis.once("error", onError);
      redis.once("close", onClose);
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown }).code;
      const where = `${redis.options.host ?? "?"}:${redis.options.port ?? "?"}`;
      const tls = redis.options.tls !== undefined;
      if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
        redis.disconnect();
        throw new Error(`Redis at ${where} refused the credentials in REDIS_URL (${message.split("\n")[0]}): check its password (docs/deploy.md#redis)`, { cause: error });
      }
      if (typeof code === "string" && CERT_ERRORS.test(code)) {
        redis.disconnect();
        throw new Error(`Redis at ${where} presented a TLS certificate this process does not accept (${message.split("\n")[0]}): for a private CA, set NODE_EXTRA_CA_CERTS to its PEM file (docs/deploy.md#redis)`, { cause: error });
      }
      // A plain-text client on a TLS port is cut off; a TLS client on a plain port gets no handshake.
      const hint = !tls && (code === "ECONNRESET" || code === "EPIPE" || /closed before/.test(message))
        ? " (if this Redis takes TLS connections only, REDIS_URL must start with rediss://)"
        : tls && (code === "ETIMEDOUT" || code === "EPROTO" || /wrong version number|packet length too long/i.test(message))
          ? " (no TLS handshake: if this port takes plain-text connections, REDIS_URL must start with redis://)"
          : "";
      throw new Error(`Redis at ${where} is not reachable: ${message.split("\n")[0]}${hint}`, { cause: error });
    });
  }
  let policy: string | undefined;
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    policy = reply[1];
  } catch {
    return; // Managed Redis may forbid CONFIG; nothing to check then.
  }
  if (policy && policy !== "noeviction") {
    throw new Error(`Redis maxmemory-policy is "${policy}"; agent-race needs "noeviction" so queued jobs are never evicted (docs/deploy.md)`);
  }
}
