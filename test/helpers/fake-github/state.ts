import type { FakeRepoState, FakeState, FakeUser } from "./types.js";

export const APP_SLUG = "agent-race";
export const BOT_LOGIN = `${APP_SLUG}[bot]`;

/** Creates an empty model with the app's bot user registered. */
export function createFakeState(): FakeState {
  const bot: FakeUser = { login: BOT_LOGIN, id: 41898282, type: "Bot" };
  return {
    repos: new Map(),
    tokens: new Map(),
    installations: new Map(),
    users: new Map([[bot.login.toLowerCase(), bot]]),
    gitRequests: [],
    bot,
    appId: 4242,
    lastId: 1000,
  };
}

/** Next globally unique numeric id (used for repos, comments, labels, check runs, …). */
export function nextId(state: FakeState): number {
  state.lastId += 1;
  return state.lastId;
}

/** Returns the user with `login`, registering it as a known user when new. */
export function ensureUser(state: FakeState, login: string): FakeUser {
  const key = login.toLowerCase();
  const existing = state.users.get(key);
  if (existing) return existing;
  const user: FakeUser = { login, id: nextId(state), type: login.endsWith("[bot]") ? "Bot" : "User" };
  state.users.set(key, user);
  return user;
}

export function findRepo(state: FakeState, owner: string, name: string): FakeRepoState | undefined {
  return state.repos.get(`${owner}/${name}`.toLowerCase());
}

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
