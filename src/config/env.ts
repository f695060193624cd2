import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../errors.js";

const envSchema = z.object({
  APP_ID: z.coerce.number().int().positive().optional(),
  PRIVATE_KEY: z.string().min(1).optional(),
  PRIVATE_KEY_PATH: z.string().min(1).optional(),
  WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Signs queued jobs (HMAC); derived from the private key when unset. Every server and worker needs the same. */
  AGENT_RACE_JOB_KEY: z.string().min(32, "AGENT_RACE_JOB_KEY must be at least 32 characters").optional(),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  AGENT_RACE_CONFIG: z.string().min(1).optional(),
  AGENT_RACE_CACHE_DIR: z.string().min(1).optional(),
  AGENT_RACE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("agent-race"),
  LANE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().optional(),
  GHE_HOST: z.string().optional(),
  GHE_PROTOCOL: z.enum(["http", "https"]).default("https"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /** Lets tests shorten BullMQ's stall detection; production keeps the defaults. */
  AGENT_RACE_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** `off`: no request throttling or retries (tests and benchmarks against the fake GitHub); keep it on against GitHub. */
  AGENT_RACE_GITHUB_THROTTLE: z.enum(["on", "off"]).default("on"),
  /** Dashboard access (docs/dashboard.md): a shared bearer token, and/or GitHub OAuth sign-in. */
  DASHBOARD_TOKEN: z.string().min(16, "DASHBOARD_TOKEN must be at least 16 characters").optional(),
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
});

/** `baseUrl`: the REST API root; `webUrl`: the server's web and git root (`https://github.com/` or GHE's), with a final `/`. */
export type Env = z.output<typeof envSchema> & { privateKey: string | undefined; baseUrl: string; webUrl: string };

/** Reads and validates the environment the App and workers run with (docs/github-app.md). */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!result.success) throw new ConfigError("environment", z.prettifyError(result.error), { cause: result.error });
  const env = result.data;
  let privateKey = env.PRIVATE_KEY?.replace(/\\n/g, "\n");
  if (!privateKey && env.PRIVATE_KEY_PATH) {
    try {
      privateKey = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
    } catch (error) {
      throw new ConfigError("environment", `cannot read PRIVATE_KEY_PATH ${env.PRIVATE_KEY_PATH}`, { cause: error });
    }
  }
  const baseUrl = env.GHE_HOST ? `${env.GHE_PROTOCOL}://${env.GHE_HOST}/api/v3` : "https://api.github.com";
  const webUrl = env.GHE_HOST ? `${env.GHE_PROTOCOL}://${env.GHE_HOST}/` : "https://github.com/";
  return { ...env, privateKey, baseUrl, webUrl };
}
