import { execa } from "execa";
import { CancelledError, GitError } from "../errors.js";
import { killProcessTree } from "../process/kill-process-tree.js";

export interface RunGitOptions {
  cwd: string;
  signal?: AbortSignal | undefined;
  /** Defaults to 10 minutes. */
  timeoutMs?: number | undefined;
  /** Text written to stdin; stdin is empty when absent. */
  input?: string | undefined;
  /** A full HTTP header line such as `AUTHORIZATION: basic xxx`, given to git through the environment only. */
  authHeader?: string | undefined;
  /**
   * The URL the auth header is scoped to (`http.<scope>.extraHeader`), e.g. `https://github.com/`: the configured
   * GitHub server (see `authScope`). Required with `authHeader`; git sends the header to no other host, whatever
   * a remote URL or an `insteadOf` points at.
   */
  authScope?: string | undefined;
  /** Return instead of throwing when git exits non-zero. */
  allowFailure?: boolean | undefined;
  /** Command-scope config, passed as `-c key=value` before the subcommand (not secret: may be logged). */
  config?: Readonly<Record<string, string>> | undefined;
  /** Extra environment variables for this call. */
  env?: Readonly<Record<string, string>> | undefined;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
const REDACTED = "[REDACTED]";

/** Variables that would point git at another repository, index or object store than `cwd`'s. */
const REPO_LOCATION_VARS = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
];

/**
 * Runs git with an argument array in `cwd`, never prompting (no terminal, no askpass, no editor, no pager).
 * The auth header travels in `GIT_CONFIG_*` environment variables, so it is never in argv or `.git/config`,
 * and it is redacted from the returned output and from every error.
 */
export async function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const secrets = options.authHeader ? headerSecrets(options.authHeader) : [];
  const redact = (text: string): string => secrets.reduce((out, secret) => out.replaceAll(secret, REDACTED), text);
  const configArgs = Object.entries(options.config ?? {}).flatMap(([key, value]) => ["-c", `${key}=${value}`]);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const child = execa("git", [...configArgs, ...args], {
    cwd: options.cwd,
    extendEnv: true,
    env: buildEnv(options),
    // Its own session and process group: no controlling terminal, so neither git nor ssh can prompt on
    // /dev/tty, and a timeout or abort can stop git's helpers (ssh, remote-https) along with it.
    detached: true,
    reject: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" as const }),
  });
  let timedOut = false;
  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (child.pid === undefined || killTimer) return;
    const pid = child.pid;
    killProcessTree(pid, "SIGTERM");
    killTimer = setTimeout(() => killProcessTree(pid, "SIGKILL"), 2000);
    killTimer.unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutMs);
  const onAbort = (): void => {
    aborted = true;
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  const result = await child;
  clearTimeout(timer);
  clearTimeout(killTimer);
  options.signal?.removeEventListener("abort", onAbort);
  const stdout = redact(typeof result.stdout === "string" ? result.stdout : "");
  const stderr = redact(typeof result.stderr === "string" ? result.stderr : "");
  const safeArgs = args.map(redact);
  if (aborted) throw new CancelledError(`git ${safeArgs[0] ?? ""} cancelled`);
  if (timedOut) throw new GitError(safeArgs, `${stderr}\ntimed out after ${timeoutMs}ms`);
  if (result.exitCode === undefined) {
    const reason = result.signal ? `killed by ${result.signal}` : redact(result.shortMessage ?? "could not start git");
    throw new GitError(safeArgs, `${stderr}\n${reason}`);
  }
  if (result.exitCode !== 0 && !options.allowFailure) throw new GitError(safeArgs, stderr || `exit code ${result.exitCode}`);
  return { stdout, stderr, exitCode: result.exitCode };
}

function buildEnv(options: RunGitOptions): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    LC_ALL: "C",
    GIT_TERMINAL_PROMPT: "0",
    GIT_PAGER: "cat",
    PAGER: "cat",
    GIT_ASKPASS: "",
    SSH_ASKPASS: "",
    SSH_ASKPASS_REQUIRE: "never",
    GIT_EDITOR: "true",
    GIT_SEQUENCE_EDITOR: "true",
    GIT_MERGE_AUTOEDIT: "no",
    GCM_INTERACTIVE: "never",
  };
  for (const name of REPO_LOCATION_VARS) env[name] = undefined;
  if (options.authHeader) {
    // Append to any GIT_CONFIG_COUNT entries the caller's environment already has.
    const existing = Number.parseInt(process.env.GIT_CONFIG_COUNT ?? "0", 10);
    const index = Number.isInteger(existing) && existing > 0 ? existing : 0;
    env.GIT_CONFIG_COUNT = String(index + 1);
    if (!options.authScope || !/^https?:\/\/[^/\s]+\/$/.test(options.authScope)) throw new Error("an auth header needs an authScope such as https://github.com/");
    env[`GIT_CONFIG_KEY_${index}`] = `http.${options.authScope}.extraHeader`;
    env[`GIT_CONFIG_VALUE_${index}`] = options.authHeader;
  }
  return { ...env, ...options.env };
}

/** Every form of the header's secret that git could echo: the line, its value, the token, a basic password. */
function headerSecrets(header: string): string[] {
  const secrets = new Set<string>([header.trim()]);
  const value = header.slice(header.indexOf(":") + 1).trim();
  if (value) secrets.add(value);
  const token = value.split(/\s+/).pop() ?? "";
  if (token.length >= 6) secrets.add(token);
  if (/^basic\s/i.test(value)) {
    const decoded = Buffer.from(token, "base64").toString("utf8");
    const password = decoded.slice(decoded.indexOf(":") + 1);
    if (password.length >= 6) secrets.add(password);
  }
  return [...secrets].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
}
