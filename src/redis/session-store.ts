import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { SESSION_TTL_S, type DashboardSession, type Sessions } from "../dashboard/auth/sessions.js";

const sessionSchema = z.object({ login: z.string(), repos: z.array(z.string()) }) satisfies z.ZodType<DashboardSession>;

/**
 * The dashboard's signed-in GitHub users, kept in Redis for `SESSION_TTL_S`
 * (`<prefix>:dashboard:session:<id>`): their login and the lower-cased full names of the
 * repositories they could access at sign-in.
 */
export class SessionStore implements Sessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:dashboard:session:${id}`;
  }

  async create(login: string, repos: readonly string[]): Promise<string> {
    const id = randomBytes(24).toString("base64url");
    const session: DashboardSession = { login, repos: [...new Set(repos.map((r) => r.toLowerCase()))] };
    await this.redis.set(this.key(id), JSON.stringify(session), "EX", SESSION_TTL_S);
    return id;
  }

  async get(id: string): Promise<DashboardSession | null> {
    if (!/^[A-Za-z0-9_-]{32}$/.test(id)) return null;
    const raw = await this.redis.get(this.key(id));
    if (!raw) return null;
    const parsed = sessionSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }
}
