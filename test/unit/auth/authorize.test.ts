import { describe, expect, it, vi } from "vitest";
import type { AuthorizeInput } from "../../../src/auth/auth-decision.js";
import { authorize } from "../../../src/auth/authorize.js";

const user = (login: string) => ({ login, type: "User" });
const bot = (login: string) => ({ login, type: "Bot" });

function input(sender: AuthorizeInput["sender"], permission: () => Promise<string>, extra: Partial<AuthorizeInput> = {}): AuthorizeInput {
  return { sender, appSlug: "agent-race", allowedBots: ["renovate[bot]"], getPermission: vi.fn(permission), ...extra };
}

function httpError(status: number, message: string): Error {
  return Object.assign(new Error(message), { status });
}

describe("authorize: humans use the live collaborator permission", () => {
  const cases: Array<[string, boolean, string]> = [
    ["admin", true, ""],
    ["maintain", true, ""],
    ["write", true, ""],
    ["triage", false, "insufficient-permission"],
    ["read", false, "insufficient-permission"],
    ["none", false, "insufficient-permission"],
    ["WRITE", false, "permission-check-failed"],
    ["owner", false, "permission-check-failed"],
    ["", false, "permission-check-failed"],
  ];

  it.each(cases)("%j -> allowed %s %s", async (permission, allowed, reason) => {
    const args = input(user("octocat"), async () => permission);
    const decision = await authorize(args);
    expect(decision.allowed).toBe(allowed);
    if (decision.allowed) expect(decision.permission).toBe(permission);
    else expect(decision.reason).toBe(reason);
    expect(args.getPermission).toHaveBeenCalledWith("octocat");
  });
});

describe("authorize: fails closed", () => {
  const failures: Array<[string, () => Promise<string>]> = [
    ["500", () => Promise.reject(httpError(500, "Internal Server Error"))],
    ["502", () => Promise.reject(httpError(502, "Bad Gateway"))],
    ["404 is not a user", () => Promise.reject(httpError(404, "octocat is not a user"))],
    ["a thrown string", () => Promise.reject("boom")],
    ["a synchronous throw", () => { throw new Error("sync"); }],
    ["undefined", () => Promise.resolve(undefined as unknown as string)],
    ["null", () => Promise.resolve(null as unknown as string)],
    ["an object", () => Promise.resolve({ permission: "admin" } as unknown as string)],
  ];

  it.each(failures)("%s -> permission-check-failed", async (_name, getPermission) => {
    const decision = await authorize(input(user("octocat"), getPermission));
    expect(decision).toMatchObject({ allowed: false, reason: "permission-check-failed" });
  });

  it("times out -> permission-check-failed", async () => {
    const never = () => new Promise<string>(() => {});
    const decision = await authorize(input(user("octocat"), never, { timeoutMs: 20 }));
    expect(decision).toMatchObject({ allowed: false, reason: "permission-check-failed" });
    if (!decision.allowed) expect(decision.detail).toContain("no answer within 20 ms");
  });

  it.each(["Organization", "Mannequin", ""])("sender type %j -> denied without a permission check", async (type) => {
    const args = input({ login: "someone", type }, async () => "admin");
    expect(await authorize(args)).toMatchObject({ allowed: false, reason: "permission-check-failed" });
    expect(args.getPermission).not.toHaveBeenCalled();
  });
});

describe("authorize: bots", () => {
  const cases: Array<[string, AuthorizeInput["sender"], string[], boolean, string]> = [
    ["allowlisted bot", bot("renovate[bot]"), ["renovate[bot]"], true, ""],
    ["bot not in the allowlist", bot("dependabot[bot]"), ["renovate[bot]"], false, "bot"],
    ["no allowlist", bot("renovate[bot]"), [], false, "bot"],
    ["evil[bot] when good[bot] is allowed", bot("evil[bot]"), ["good[bot]"], false, "bot"],
    ["github-actions[bot] (e.g. an auto-labeller)", bot("github-actions[bot]"), ["renovate[bot]"], false, "bot"],
    ["allowlist is exact: case differs", bot("Renovate[bot]"), ["renovate[bot]"], false, "bot"],
    ["allowlist is exact: name without [bot]", bot("renovate[bot]"), ["renovate"], false, "bot"],
    ["Bot type without [bot] suffix, not allowlisted", bot("Copilot"), ["renovate[bot]"], false, "bot"],
    ["Bot type without [bot] suffix, allowlisted", bot("Copilot"), ["Copilot"], true, ""],
    ["[bot] login claiming type User", user("evil[bot]"), ["good[bot]"], false, "bot"],
    ["[bot] login claiming type User, even if allowlisted", user("renovate[bot]"), ["renovate[bot]"], false, "bot"],
    ["the app itself", bot("agent-race[bot]"), [], false, "self"],
    ["the app itself, even if allowlisted", bot("agent-race[bot]"), ["agent-race[bot]"], false, "self"],
    ["the app itself, other case", bot("Agent-Race[bot]"), [], false, "self"],
  ];

  it.each(cases)("%s", async (_name, sender, allowedBots, allowed, reason) => {
    const args = input(sender, async () => "admin", { allowedBots });
    const decision = await authorize(args);
    expect(decision.allowed).toBe(allowed);
    if (decision.allowed) expect(decision.permission).toBe("allowlisted-bot");
    else expect(decision.reason).toBe(reason);
    // Bots are never permission-checked: allowlisted ones are trusted, the rest denied outright.
    expect(args.getPermission).not.toHaveBeenCalled();
  });
});

describe("authorize: a user named like a bot is a user", () => {
  it.each([
    ["read", false],
    ["write", true],
  ] as const)("User 'renovate' with %s permission -> allowed %s", async (permission, allowed) => {
    const args = input(user("renovate"), async () => permission, { allowedBots: ["renovate[bot]", "renovate"] });
    expect((await authorize(args)).allowed).toBe(allowed);
    expect(args.getPermission).toHaveBeenCalledWith("renovate");
  });
});
