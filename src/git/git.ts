import { CancelledError, GitError } from "../errors.js";
import { runProcess } from "../process/run-process.js";

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
/** Git's output is read whole (trees, diffs, ref lists); past this it is cut from the front. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
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
  // runProcess gives git its own session and process group (no controlling terminal, so neither git nor
  // ssh can prompt on /dev/tty) and stops the whole tree, helpers (ssh, remote-https) included, at a
  // timeout or abort.
  const result = await runProcess("git", [...configArgs, ...args], {
    cwd: options.cwd,
    env: buildEnv(options),
    timeoutMs,
    signal: options.signal,
    input: options.input,
    tailBytes: MAX_OUTPUT_BYTES,
    stderrTailBytes: MAX_OUTPUT_BYTES,
  });
  const stdout = redact(withoutFinalNewline(result.stdout));
  const stderr = redact(withoutFinalNewline(result.stderr));
  const safeArgs = args.map(redact);
  if (result.aborted) throw new CancelledError(`git ${safeArgs[0] ?? ""} cancelled`);
  if (result.timedOut) throw new GitError(safeArgs, `${stderr}\ntimed out after ${timeoutMs}ms`);
  if (result.exitCode === null) {
    const reason = result.signal ? `killed by ${result.signal}` : redact(result.spawnError ?? "could not start git");
    throw new GitError(safeArgs, `${stderr}\n${reason}`);
  }
  if (result.exitCode !== 0 && !options.allowFailure) throw new GitError(safeArgs, stderr || `exit code ${result.exitCode}`);
  return { stdout, stderr, exitCode: result.exitCode };
}

/** Git's output as callers read it: without the one newline that ends it. */
function withoutFinalNewline(text: string): string {
  return text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
}

/** The worker's environment, less the variables that would move git elsewhere, plus the no-prompt settings. */
function buildEnv(options: RunGitOptions): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...process.env,
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
  const merged = { ...env, ...options.env };
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
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
