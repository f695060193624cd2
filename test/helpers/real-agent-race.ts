import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { expect } from "vitest";
import { withFileLock } from "../../src/git/file-lock.js";
import type { AgentCli } from "./agent-clis.js";
import { startModelServer, type ModelRoute, type ModelServer, type ScriptStep } from "./fake-model/model-server.js";
import { liveProcesses } from "./live-processes.js";
import { NODE } from "./race-fixture.js";
import { runCli, type CliResult } from "./run-cli.js";
import { createTempRepo, type TempRepo } from "./temp-repo.js";

// What every real-agent test shares (test/e2e/real-*.test.ts, issue 13): the task (fix median() for
// even-length arrays; an eval checks it), two races through the public CLI against three stand-ins
// of the CLI's model API (a scripted model, one answering 401, one never answering), and the checks
// that a lane failed fast and that no process outlived the silent lane.

export const bwrapAvailable = existsSync("/usr/bin/bwrap") || existsSync("/usr/local/bin/bwrap");
export const TASK = "Fix median() in src/median.mjs for even-length arrays";
export const MEDIAN = "export function median(xs) {\n  const s = [...xs].sort((a, b) => a - b);\n  return s[Math.floor(s.length / 2)];\n}\n";
const CHECK = `import { median } from "./src/median.mjs";\nprocess.exit(median([4, 1, 3, 2]) === 2.5 && median([3, 1, 2]) === 2 ? 0 : 1);\n`;
export const OLD_LINE = "  return s[Math.floor(s.length / 2)];";
export const NEW_LINES = "  const mid = Math.floor(s.length / 2);\n  return s.length % 2 === 0 ? (s[mid - 1] + s[mid]) / 2 : s[mid];";
/** The silent lane's agent timeout. Generous: a Node CLI under a loaded 2-core CI machine takes seconds to send its first request. */
const SILENT_TIMEOUT = "10s";

export interface RealLane {
  lane: number;
  agent: string;
  status: string;
  branch: string;
  evals: { name: string; passed: boolean }[];
  files_changed: number;
  duration_ms: number;
  tokens: number | null;
  cost_usd: number | null;
  note: string | null;
}

export interface RealRace {
  result: CliResult;
  lanes: RealLane[];
  repo: TempRepo;
  /** The race's `started_at` (its lanes start right after it). */
  startedAt: number;
}

export interface RealAgentRaces {
  /** `-n 2` with the scripted stand-in. */
  passing: RealRace;
  /** Lane `bad-key` (its stand-in answers 401) and lane `silent` (its stand-in never answers). */
  failing: RealRace;
  good: ModelServer;
  bad: ModelServer;
  silent: ModelServer;
  /** The most processes mentioning the silent stand-in seen at once while the races ran. */
  seenSilent: number;
  /** Processes still alive after the races that mention the silent stand-in. */
  leftovers: string[];
  close(): Promise<void>;
}

/**
 * Runs the two races of one CLI, each in a repo of its own, while no other CLI's races run: first the failing race, then, once its
 * CLIs have reached their stand-ins, the passing one (four CLIs starting at once on two cores could
 * keep the silent lane from ever reaching its model before its timeout).
 */
export async function raceRealAgent(options: {
  cli: AgentCli;
  route: () => ModelRoute;
  script: ScriptStep[];
  /** Extra keys of every agent entry (`, model: …`). */
  entry: string;
  /** The API's path below the stand-in's URL, as the CLI's `base_url` takes it (`/v1` for OpenAI's). */
  apiPath: string;
  env: Record<string, string>;
  /** What the bad-key stand-in answers (default: HTTP 401 "Incorrect API key provided"). */
  badKey?: ScriptStep | undefined;
  /** The silent lane's timeout (default 10s). */
  silentTimeout?: string | undefined;
}): Promise<RealAgentRaces> {
  const { cli } = options;
  const [good, bad, silent] = await Promise.all([
    startModelServer([options.route()], options.script),
    startModelServer([options.route()], [options.badKey ?? { error: { status: 401, message: "Incorrect API key provided" } }]),
    startModelServer([options.route()], [{ silent: true }]),
  ]);
  const scratch = await mkdtemp(join(tmpdir(), `agent-race-real-${cli.name}-`));
  // A HOME of the race's own: no login or settings of the user's reaches the CLIs.
  const home = join(scratch, "home");
  await mkdir(home);
  const env = { ...options.env, HOME: home, PATH: [cli.binDir, process.env.PATH ?? ""].join(delimiter) };
  const config = [
    "mode: compare",
    "agents:",
    `  ${cli.name}: { base_url: "${good.url}${options.apiPath}"${options.entry} }`,
    `  bad-key: { preset: ${cli.name}, base_url: "${bad.url}${options.apiPath}"${options.entry} }`,
    `  silent: { preset: ${cli.name}, base_url: "${silent.url}${options.apiPath}", timeout: ${options.silentTimeout ?? SILENT_TIMEOUT}${options.entry} }`,
    "evals:",
    `  - { name: median, run: ${JSON.stringify([NODE, "check.mjs"])} }`,
  ].join("\n");
  const repos: TempRepo[] = [];
  const close = async (): Promise<void> => {
    await Promise.all([good.close(), bad.close(), silent.close()]);
    await Promise.all([...repos.map((repo) => repo.cleanup()), rm(scratch, { recursive: true, force: true })]);
  };
  const race = async (args: string[]): Promise<RealRace> => {
    const repo = await createTempRepo({ "src/median.mjs": MEDIAN, "check.mjs": CHECK, ".github/agent-race.yml": config });
    repos.push(repo);
    const result = await runCli(repo.dir, ["race", "--json", ...args, TASK], env);
    try {
      const report = JSON.parse(result.stdout) as { lanes: RealLane[]; started_at: string };
      return { result, repo, startedAt: Date.parse(report.started_at), lanes: report.lanes.sort((a, b) => a.lane - b.lane) };
    } catch {
      throw new Error(`no JSON report (exit ${result.exitCode}): ${result.stderr.slice(-2000)}`);
    }
  };
  // The silent lane's processes, counted while the race runs (so the check is known to see them) and after it.
  const silentHost = new URL(silent.url).host;
  let seenSilent = 0;
  const watch = setInterval(() => {
    seenSilent = Math.max(seenSilent, processesMentioning(silentHost).length);
  }, 500);
  try {
    // One CLI's races at a time across the test files (vitest runs two at once): a CLI that needs seconds
    // of CPU to start must still reach its model well within the silent lane's timeout.
    return await withFileLock(join(tmpdir(), "agent-race-real-agents.lock"), async () => {
      const failingRace = race(["--agent", "bad-key", "--agent", "silent"]);
      await until(() => silent.requests.length > 0 && bad.requests.length > 0, 20_000);
      const passing = await race(["--agent", cli.name, "-n", "2"]);
      const failing = await failingRace;
      return { passing, failing, good, bad, silent, seenSilent, leftovers: processesMentioning(silentHost), close };
    });
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearInterval(watch);
  }
}

/**
 * How long a lane took from its CLI's first request to its model to the lane's end: the time a bad
 * key cost, without the CLI's start-up (seconds of CPU for a Node CLI on a loaded CI machine).
 */
export function msAfterFirstRequest(race: RealRace, lane: RealLane, server: ModelServer): number {
  const first = server.requests[0]?.at;
  if (first === undefined) throw new Error("the CLI never reached its stand-in");
  return race.startedAt + lane.duration_ms - first;
}

/** The checks every CLI's silent lane must pass: ended by the timeout, nothing left running. */
export function expectSilentLaneEnded(run: RealAgentRaces, apiPath: string | RegExp): void {
  const lane = run.failing.lanes.find((l) => l.agent === "silent");
  expect(lane?.status).toBe("timeout");
  expect(lane?.note).toMatch(/timed out after \d+s/);
  // The CLI's request reached the stand-in and was never answered.
  const paths = run.silent.requests.map((r) => r.path);
  expect(paths.some((path) => (typeof apiPath === "string" ? path === apiPath : apiPath.test(path))), JSON.stringify(paths)).toBe(true);
  expect(run.seenSilent).toBeGreaterThan(0);
  expect(run.leftovers).toEqual([]);
  expect(run.failing.result.exitCode).toBe(1);
}

/** Both passing lanes' branches hold the fix. */
export async function expectFixedOnEveryBranch(race: RealRace): Promise<void> {
  for (const lane of race.lanes) expect(await race.repo.git("show", `${lane.branch}:src/median.mjs`)).toContain("const mid = Math.floor(s.length / 2);");
}

/** The model requests that carried tools (the agent's turns, not title or summary side calls). */
export function agentTurns(server: ModelServer): number {
  return server.requests.filter((r) => r.method === "POST" && isAgentTurn(r.body)).length;
}

export function isAgentTurn(body: unknown): boolean {
  const { tools, input } = (body ?? {}) as { tools?: unknown; input?: unknown };
  const additional = Array.isArray(input) && input.some((item: { type?: unknown } | null) => item?.type === "additional_tools");
  return (Array.isArray(tools) && tools.length > 0) || additional;
}

/** Resolves once `ready()` holds, or after `ms` at the latest. */
export async function until(ready: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Live processes whose argv or environment contains `text` (the sandbox, its entry and the CLI all carry the base URL). */
export function processesMentioning(text: string): string[] {
  return liveProcesses(({ cmdline, environ }) => cmdline.includes(text) || environ.includes(text)).map(({ pid, cmdline }) => `${pid} ${cmdline.slice(0, 200)}`);
}
