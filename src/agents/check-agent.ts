import type { AgentSpec } from "../config/repo-config.js";
import type { ProcessSandbox } from "../process/process-sandbox.js";
import { findExecutable } from "../process/find-executable.js";
import { runProcess } from "../process/run-process.js";
import { agentEnv } from "./agent-env.js";
import { firstErrorLine } from "./first-error-line.js";
import { parseAgentOutput } from "./parse-agent-output.js";
import { renderCommand } from "./render-command.js";

/** What `agent-race agents` found out about one agent. */
export interface AgentCheck {
  name: string;
  /** The agent's argv (its command, before the prompt is filled in). */
  command: string[];
  /** The command's file on PATH, or null when it is not found. */
  found: string | null;
  /** The first line `<command> --version` printed, or null. */
  version: string | null;
  /** The agent's secret variables (keys, tokens), and which of them are set. */
  credentials: { names: string[]; set: string[] };
  /** Whether its argv started cleanly in 1 s with no network; null when it could not be run. */
  selfCheck: { ok: boolean | null; detail: string };
  /** Why a lane with this agent would fail, one line each; empty when it looks ready. */
  problems: string[];
}

export interface CheckAgentOptions {
  /** The environment lanes would get the agent's variables from. */
  env: NodeJS.ProcessEnv;
  /** Where the self-check runs (a scratch worktree) and the HOME it gets. */
  cwd: string;
  home: string;
  /** The sandbox the self-check runs in, with no egress; absent: unsandboxed, without the agent's secrets. */
  sandbox?: ProcessSandbox | undefined;
  /** How to install the CLI, for the "not on PATH" problem. */
  installHint?: string | undefined;
  /** Whether the operator gives the agent files in its HOME (`home_files`), which may hold its login instead of a key. */
  loginFiles?: boolean | undefined;
  /** Operator `home_files` whose source cannot be read. */
  unreadableHomeFiles?: readonly string[] | undefined;
  selfCheckMs?: number | undefined;
}

const SECRET = /(?:KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS)$/;
/** What CLIs print when they reject a flag or an option value. */
const REJECTED = /unknown (?:option|argument|flag|command)|unexpected argument|unrecognized (?:option|argument|arguments)|invalid (?:option|value|choice|argument)|no such option|not a valid (?:option|value)|did you mean/i;
const SELF_CHECK_PROMPT = "agent-race self-check: reply with the word OK and change nothing.";

/**
 * Checks an agent the way a lane would run it: is its command on PATH, which version it is, are its
 * credentials set, and does its real argv start: run for one second with the self-check prompt in
 * the lane sandbox with no network (so it cannot reach its API or spend anything), it must not
 * reject its own flags ("unknown option", "unexpected argument"). Hanging on, or failing to reach
 * its API, counts as a clean start.
 */
export async function checkAgent(name: string, spec: AgentSpec, options: CheckAgentOptions): Promise<AgentCheck> {
  const [file] = spec.command as [string, ...string[]];
  const pathEnv = options.env.PATH ?? "/usr/local/bin:/usr/bin:/bin";
  const base = { PATH: pathEnv, HOME: options.home, LANG: options.env.LANG ?? "C.UTF-8" };
  const found = await findExecutable(file, options.cwd, pathEnv);
  // In the lane sandbox too, as a lane would run it: the command may be anything a config names.
  const version = found ? await runProcess(file, ["--version"], { cwd: options.cwd, env: base, timeoutMs: 10_000, sandbox: options.sandbox }) : null;
  const names = spec.env.filter((variable) => SECRET.test(variable));
  const credentials = { names, set: names.filter((variable) => Boolean(options.env[variable])) };
  const problems: string[] = [];
  if (!found) problems.push(`\`${file}\` is not on PATH${options.installHint ? `: ${options.installHint}` : ""}`);
  if (names.length > 0 && credentials.set.length === 0 && !options.loginFiles) {
    problems.push(`no credentials: set ${names.length > 1 ? `one of ${names.join(", ")}` : names[0]}`);
  }
  for (const source of options.unreadableHomeFiles ?? []) problems.push(`home_files: cannot read ${source}`);
  const selfCheck = found ? await runSelfCheck(spec, options) : { ok: null, detail: "not run: the command is not on PATH" };
  if (selfCheck.ok === false) problems.push(selfCheck.detail);
  return {
    name, command: [...spec.command], found,
    version: version?.exitCode === 0 ? firstLine(version.stdout) ?? firstLine(version.stderr) : null,
    credentials, selfCheck, problems,
  };
}

async function runSelfCheck(spec: AgentSpec, options: CheckAgentOptions): Promise<{ ok: boolean; detail: string }> {
  const timeoutMs = options.selfCheckMs ?? 1_000;
  const argv = renderCommand(spec.command, spec.prompt, { prompt: SELF_CHECK_PROMPT, prompt_file: "/dev/null", lane: 1, port: 4100 });
  const [file, ...args] = argv as [string, ...string[]];
  // Sandboxed there is no network, so the agent may have its secrets (it gets past "not logged in" to its
  // flags); unsandboxed it gets none, so it cannot reach its API with them.
  const env = {
    ...agentEnv({ source: options.env, passthrough: options.sandbox ? spec.env : spec.env.filter((variable) => !SECRET.test(variable)), lane: 1, port: 4100 }),
    HOME: options.home,
    ...spec.env_values,
  };
  const run = await runProcess(file, args, {
    cwd: options.cwd, env, timeoutMs, killGraceMs: 500, sandbox: options.sandbox,
    input: spec.prompt === "stdin" ? SELF_CHECK_PROMPT : undefined,
  });
  if (run.spawnError) return { ok: false, detail: `could not start: ${run.spawnError}` };
  // In the sandbox, a binary that is not visible there fails in bwrap's exec (exit 127).
  const notFound = /bwrap: execvp [^\n]*/.exec(run.stderr);
  if (notFound || run.exitCode === 127) return { ok: false, detail: `could not start in the lane sandbox: ${notFound?.[0] ?? firstErrorLine(run.stderr) ?? "exit 127"}` };
  const said = parseAgentOutput(spec.output, run.stdout).message ?? firstErrorLine(`${run.stderr}\n${run.stdout}`);
  if (said && REJECTED.test(said)) return { ok: false, detail: `the CLI rejects its arguments: ${said}` };
  if (run.timedOut) return { ok: true, detail: `started; still running after ${timeoutMs / 1000} s with no network` };
  return { ok: true, detail: `started; exited ${run.exitCode ?? run.signal} with no network${said ? ` (${said})` : ""}` };
}

function firstLine(text: string): string | null {
  const line = text.split("\n").map((l) => l.trim()).find(Boolean);
  return line ? line.slice(0, 120) : null;
}
