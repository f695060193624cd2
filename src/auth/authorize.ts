import type { AuthDecision, AuthorizeInput } from "./auth-decision.js";

const WRITE_LEVELS: ReadonlySet<string> = new Set(["admin", "maintain", "write"]);
const READ_LEVELS: ReadonlySet<string> = new Set(["triage", "read", "none"]);
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Decides whether the sender of a trigger may start or steer a race (threats T3, T3a).
 *
 * - Bots: any account of type `Bot`, or any login ending in `[bot]` whatever its type claims.
 *   The app's own account is always denied (no loops). Other bots are denied unless their exact
 *   login is in `allowedBots` and their type really is `Bot`. An allowlisted bot is trusted
 *   WITHOUT a permission check: allowlisting an App means anyone who can make that App act
 *   (for example an auto-labeller driven by issue text) can start races.
 * - Users: the live collaborator permission must be admin, maintain or write. A user whose login
 *   matches an allowlisted bot's name (`renovate` for `renovate[bot]`) is just a user.
 * - Fails closed: an error, a timeout or an unexpected answer from `getPermission` is a denial.
 *   `author_association` is never used: it is computed without a viewer and is wrong for
 *   private org members and team access.
 */
export async function authorize(input: AuthorizeInput): Promise<AuthDecision> {
  const { sender, appSlug, allowedBots } = input;
  const login = sender.login;
  const looksLikeBot = sender.type === "Bot" || login.toLowerCase().endsWith("[bot]");

  if (looksLikeBot) {
    // Logins are case-insensitive on GitHub; comparing case-insensitively here only denies more.
    if (login.toLowerCase() === `${appSlug}[bot]`.toLowerCase()) {
      return { allowed: false, reason: "self", detail: `${login} is this app` };
    }
    if (sender.type === "Bot" && allowedBots.includes(login)) {
      return { allowed: true, permission: "allowlisted-bot" };
    }
    const why = sender.type === "Bot" ? "is not in allowed_bots" : `claims type ${JSON.stringify(sender.type)}`;
    return { allowed: false, reason: "bot", detail: `bot ${login} ${why}` };
  }

  if (sender.type !== "User" || login === "") {
    const detail = `unsupported sender ${JSON.stringify(login)} of type ${JSON.stringify(sender.type)}`;
    return { allowed: false, reason: "permission-check-failed", detail };
  }

  let permission: unknown;
  try {
    permission = await withTimeout(() => input.getPermission(login), input.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { allowed: false, reason: "permission-check-failed", detail: `permission check for ${login} failed: ${message}` };
  }

  if (typeof permission === "string" && WRITE_LEVELS.has(permission)) return { allowed: true, permission };
  if (typeof permission === "string" && READ_LEVELS.has(permission)) {
    return { allowed: false, reason: "insufficient-permission", detail: `${login} has ${permission} permission; write is needed` };
  }
  const shown = JSON.stringify(permission)?.slice(0, 60) ?? String(permission);
  return { allowed: false, reason: "permission-check-failed", detail: `unexpected permission ${shown} for ${login}` };
}

async function withTimeout<T>(run: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
