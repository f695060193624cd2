/** How long a GitHub sign-in lasts: the session and its cookie (s). */
export const SESSION_TTL_S = 8 * 3600;

/** A signed-in GitHub user: their login and the lower-cased full names of the repositories they could access at sign-in. */
export interface DashboardSession {
  login: string;
  repos: string[];
}

/**
 * Where the dashboard keeps its signed-in users for `SESSION_TTL_S` (the cookie only carries the
 * signed id); `redis/session-store.ts` keeps them in Redis.
 */
export interface Sessions {
  /** Stores a new session and returns its id. */
  create(login: string, repos: readonly string[]): Promise<string>;
  /** The session of an id, or null for an unknown, expired or malformed one. */
  get(id: string): Promise<DashboardSession | null>;
  delete(id: string): Promise<void>;
}
