import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedAgentCli, type AgentCli } from "../helpers/agent-clis.js";
import { anthropicMessages } from "../helpers/fake-model/anthropic-messages.js";
import { startModelServer, type ModelRoute, type ModelServer, type ScriptStep } from "../helpers/fake-model/model-server.js";
import { codexApplyPatch, openaiResponses } from "../helpers/fake-model/openai-responses.js";
import { isProcessAlive } from "../helpers/is-process-alive.js";
import { NODE } from "../helpers/race-fixture.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { createTempRepo, type TempRepo } from "../helpers/temp-repo.js";

// The real Claude Code and Codex CLIs (pinned in test/agent-clis.json) race through the public CLI,
// each lane in the real lane sandbox, against local stand-ins of their model APIs: a scripted model
// that edits the file the eval checks, one that answers 401 and one that never answers.

const bwrapAvailable = existsSync("/usr/bin/bwrap") || existsSync("/usr/local/bin/bwrap");
const TASK = "Fix median() in src/median.mjs for even-length arrays";
const MEDIAN = "export function median(xs) {\n  const s = [...xs].sort((a, b) => a - b);\n  return s[Math.floor(s.length / 2)];\n}\n";
const CHECK = `import { median } from "./src/median.mjs";\nprocess.exit(median([4, 1, 3, 2]) === 2.5 && median([3, 1, 2]) === 2 ? 0 : 1);\n`;
const OLD_LINE = "  return s[Math.floor(s.length / 2)];";
const NEW_LINES = "  const mid = Math.floor(s.length / 2);\n  return s.length % 2 === 0 ? (s[mid - 1] + s[mid]) / 2 : s[mid];";
/** Claude Code's list price for claude-haiku-4-5, in USD per token (input, output): what its own price table charges. */
const HAIKU_USD_PER_TOKEN = { input: 1 / 1_000_000, output: 5 / 1_000_000 };

interface Lane {
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

interface Race {
  result: CliResult;
  lanes: Lane[];
  repo: TempRepo;
}

interface RealAgentRaces {
  /** `-n 2` with the scripted stand-in (after transient overload errors). */
  passing: Race;
  /** One lane whose stand-in answers 401, one whose stand-in never answers (agent timeout 4 s). */
  failing: Race;
  good: ModelServer;
  bad: ModelServer;
  silent: ModelServer;
  /** The most processes mentioning the silent stand-in seen at once while the races ran. */
  seenSilent: number;
  /** Processes still alive after the races that mention the silent stand-in. */
  leftovers: string[];
  close(): Promise<void>;
}

/** Runs both races of one CLI at once, each in a repo of its own. */
async function raceRealAgent(options: {
  cli: AgentCli;
  route: () => ModelRoute;
  script: ScriptStep[];
  /** Extra keys of every agent entry (a model). */
  entry: string;
  /** The API's path below the stand-in's URL, as the CLI's `base_url` takes it (Codex: `/v1`). */
  apiPath: string;
  env: Record<string, string>;
}): Promise<RealAgentRaces> {
  const { cli } = options;
  const [good, bad, silent] = await Promise.all([
    startModelServer([options.route()], options.script),
    startModelServer([options.route()], [{ error: { status: 401 } }]),
    startModelServer([options.route()], [{ silent: true }]),
  ]);
  const scratch = await mkdtemp(join(tmpdir(), `agent-race-real-${cli.name}-`));
  // The CLIs are installed under the real HOME, which the lane sandbox hides: the race gets a HOME of its own.
  const home = join(scratch, "home");
  await mkdir(home);
  const env = { ...options.env, HOME: home, PATH: [cli.binDir, process.env.PATH ?? ""].join(delimiter) };
  const config = [
    "mode: compare",
    "agents:",
    `  ${cli.name}: { base_url: "${good.url}${options.apiPath}"${options.entry} }`,
    `  bad-key: { preset: ${cli.name}, base_url: "${bad.url}${options.apiPath}"${options.entry} }`,
    `  silent: { preset: ${cli.name}, base_url: "${silent.url}${options.apiPath}", timeout: 4s${options.entry} }`,
    "evals:",
    `  - { name: median, run: ${JSON.stringify([NODE, "check.mjs"])} }`,
  ].join("\n");
  const repos: TempRepo[] = [];
  const close = async (): Promise<void> => {
    await Promise.all([good.close(), bad.close(), silent.close()]);
    await Promise.all([...repos.map((repo) => repo.cleanup()), rm(scratch, { recursive: true, force: true })]);
  };
  const race = async (args: string[]): Promise<Race> => {
    const repo = await createTempRepo({ "src/median.mjs": MEDIAN, "check.mjs": CHECK, ".github/agent-race.yml": config });
    repos.push(repo);
    const result = await runCli(repo.dir, ["race", "--json", ...args, TASK], env);
    try {
      return { result, repo, lanes: (JSON.parse(result.stdout) as { lanes: Lane[] }).lanes.sort((a, b) => a.lane - b.lane) };
    } catch {
      throw new Error(`no JSON report (exit ${result.exitCode}): ${result.stderr.slice(-2000)}`);
    }
  };
  // The silent lane's processes, counted while the race runs (so the check below is known to see them) and after it.
  const silentHost = new URL(silent.url).host;
  let seenSilent = 0;
  const watch = setInterval(() => {
    seenSilent = Math.max(seenSilent, processesMentioning(silentHost).length);
  }, 500);
  try {
    const [passing, failing] = await Promise.all([
      race(["--agent", cli.name, "-n", "2"]),
      race(["--agent", "bad-key", "--agent", "silent"]),
    ]);
    return { passing, failing, good, bad, silent, seenSilent, leftovers: processesMentioning(silentHost), close };
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearInterval(watch);
  }
}

/** Live processes whose argv or environment contains `text` (the sandbox, its entry and the CLI all carry the base URL). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
      if ((cmdline.includes(text) || environ.includes(text)) && isProcessAlive(pid)) found.push(`${pid} ${cmdline.replaceAll("\0", " ").slice(0, 200)}`);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** The model requests that carried tools (the agent's turns, not side calls), answered or not. */
function agentTurns(server: ModelServer): number {
  return server.requests.filter((r) => {
    const body = (r.body ?? {}) as { tools?: unknown; input?: unknown };
    const additional = Array.isArray(body.input) && body.input.some((item: { type?: unknown }) => item?.type === "additional_tools");
    return r.method === "POST" && ((Array.isArray(body.tools) && body.tools.length > 0) || additional);
  }).length;
}

async function expectFixedOnEveryBranch(race: Race): Promise<void> {
  for (const lane of race.lanes) expect(await race.repo.git("show", `${lane.branch}:src/median.mjs`)).toContain("const mid = Math.floor(s.length / 2);");
}

const claude = bwrapAvailable ? installedAgentCli("claude") : undefined;
const codex = bwrapAvailable ? installedAgentCli("codex") : undefined;

/** Both CLIs' races start at once (each takes about 5 s, mostly the silent lane's timeout); each describe awaits its own. */
const runs: { claude?: Promise<RealAgentRaces>; codex?: Promise<RealAgentRaces> } = {};
beforeAll(() => {
  if (claude) {
    runs.claude = raceRealAgent({
      cli: claude,
      route: anthropicMessages,
      script: [
        // Two overloaded answers before the first turn (of either lane): CLAUDE_CODE_MAX_RETRIES=2 rides them out.
        { error: { status: 529, times: 2 } },
        { tool: "Read", input: { file_path: "{cwd}/src/median.mjs" } },
        { tool: "Edit", input: { file_path: "{cwd}/src/median.mjs", old_string: OLD_LINE, new_string: NEW_LINES } },
        { text: "Fixed median() for even-length arrays." },
      ],
      entry: ", model: claude-haiku-4-5",
      apiPath: "",
      env: { ANTHROPIC_API_KEY: "sk-ant-stand-in-key" },
    });
  }
  if (codex) {
    runs.codex = raceRealAgent({
      cli: codex,
      route: openaiResponses,
      script: [
        // Two server errors before the first turn: stream_max_retries=2 rides them out.
        { error: { status: 500, times: 2 } },
        codexApplyPatch(`*** Begin Patch\n*** Update File: src/median.mjs\n@@\n export function median(xs) {\n   const s = [...xs].sort((a, b) => a - b);\n-${OLD_LINE}\n${NEW_LINES.split("\n").map((l) => `+${l}`).join("\n")}\n }\n*** End Patch\n`),
        { text: "Fixed median() for even-length arrays." },
      ],
      entry: "",
      apiPath: "/v1",
      env: { OPENAI_API_KEY: "sk-stand-in-key" },
    });
  }
  // Awaited by the describes below; a failure is reported there, not as an unhandled rejection.
  for (const promise of Object.values(runs)) promise.catch(() => undefined);
});
afterAll(async () => {
  await Promise.all(Object.values(runs).map(async (promise) => (await promise.catch(() => undefined))?.close()));
});

describe.skipIf(!claude)("the real Claude Code CLI, sandboxed, against an Anthropic Messages stand-in", () => {
  let run: RealAgentRaces;
  beforeAll(async () => {
    run = await (runs.claude as Promise<RealAgentRaces>);
  }, 60_000);

  it("two lanes pass: Claude Code read and edited the file through its own tools, after retrying the overload", async () => {
    expect(run.passing.result.exitCode, run.passing.result.stderr).toBe(0);
    expect(run.passing.lanes.map((l) => [l.status, l.evals.map((e) => e.passed), l.files_changed])).toEqual([["passed", [true], 1], ["passed", [true], 1]]);
    await expectFixedOnEveryBranch(run.passing);
    // Three answered turns a lane, plus the two 529s.
    expect(run.good.served.answers).toBe(6);
    expect(agentTurns(run.good)).toBe(8);
    // The lane's key reached the model API, and its notes record no refused network access.
    expect(run.good.requests.find((r) => r.path === "/v1/messages")?.headers["x-api-key"]).toMatch(/^sk-ant-stand/);
    for (const lane of run.passing.lanes) expect(lane.note ?? "").not.toMatch(/refused/);
  });

  it("reports exactly the tokens the stand-in served, and the cost Claude Code's price table makes of them", () => {
    const { served } = run.good;
    const tokens = run.passing.lanes.map((l) => l.tokens ?? 0);
    expect(tokens.every((t) => t > 0)).toBe(true);
    expect(tokens[0]! + tokens[1]!).toBe(served.inputTokens + served.outputTokens);
    const cost = run.passing.lanes.map((l) => l.cost_usd ?? 0);
    expect(cost.every((c) => c > 0)).toBe(true);
    expect(cost[0]! + cost[1]!).toBeCloseTo(served.inputTokens * HAIKU_USD_PER_TOKEN.input + served.outputTokens * HAIKU_USD_PER_TOKEN.output, 9);
  });

  it("an invalid key (HTTP 401) fails its lane within 10 s, saying so", () => {
    const lane = run.failing.lanes.find((l) => l.agent === "bad-key");
    expect(lane?.status).toBe("error");
    expect(lane?.note).toMatch(/Invalid API key/);
    expect(lane?.duration_ms).toBeLessThan(10_000);
    // CLAUDE_CODE_MAX_RETRIES=2: the first try and two retries.
    expect(run.bad.requests.filter((r) => r.path === "/v1/messages")).toHaveLength(3);
  });

  it("a model that never answers is ended by the lane timeout, leaving no process behind", () => {
    const lane = run.failing.lanes.find((l) => l.agent === "silent");
    expect(lane?.status).toBe("timeout");
    expect(lane?.note).toMatch(/timed out after 4s/);
    expect(lane?.duration_ms).toBeLessThan(10_000);
    expect(run.silent.requests.some((r) => r.path === "/v1/messages")).toBe(true);
    expect(run.seenSilent).toBeGreaterThan(0);
    expect(run.leftovers).toEqual([]);
    expect(run.failing.result.exitCode).toBe(1);
  });
});

describe.skipIf(!codex)("the real Codex CLI, sandboxed, against an OpenAI Responses stand-in", () => {
  let run: RealAgentRaces;
  beforeAll(async () => {
    run = await (runs.codex as Promise<RealAgentRaces>);
  }, 60_000);

  it("two lanes pass: Codex patched the file through its own exec tool, after retrying the server error", async () => {
    expect(run.passing.result.exitCode, run.passing.result.stderr).toBe(0);
    expect(run.passing.lanes.map((l) => [l.status, l.evals.map((e) => e.passed), l.files_changed])).toEqual([["passed", [true], 1], ["passed", [true], 1]]);
    await expectFixedOnEveryBranch(run.passing);
    expect(run.good.served.answers).toBe(4);
    expect(agentTurns(run.good)).toBe(6);
    expect(run.good.requests.find((r) => r.path === "/v1/responses")?.headers.authorization).toMatch(/^Bearer sk-st/);
    for (const lane of run.passing.lanes) expect(lane.note ?? "").not.toMatch(/refused/);
  });

  it("reports exactly the tokens the stand-in served, and no cost (Codex reports none)", () => {
    const { served } = run.good;
    const tokens = run.passing.lanes.map((l) => l.tokens ?? 0);
    expect(tokens.every((t) => t > 0)).toBe(true);
    expect(tokens[0]! + tokens[1]!).toBe(served.inputTokens + served.outputTokens);
    expect(run.passing.lanes.map((l) => l.cost_usd)).toEqual([null, null]);
  });

  it("an invalid key (HTTP 401) fails its lane within 10 s, saying so", () => {
    const lane = run.failing.lanes.find((l) => l.agent === "bad-key");
    expect(lane?.status).toBe("error");
    expect(lane?.note).toMatch(/401 Unauthorized: Incorrect API key/);
    expect(lane?.duration_ms).toBeLessThan(10_000);
    // stream_max_retries=2: the first try and two retries.
    expect(run.bad.requests.filter((r) => r.path === "/v1/responses")).toHaveLength(3);
  });

  it("a model that never answers is ended by the lane timeout, leaving no process behind", () => {
    const lane = run.failing.lanes.find((l) => l.agent === "silent");
    expect(lane?.status).toBe("timeout");
    expect(lane?.note).toMatch(/timed out after 4s/);
    expect(lane?.duration_ms).toBeLessThan(10_000);
    expect(run.silent.requests.some((r) => r.path === "/v1/responses")).toBe(true);
    expect(run.seenSilent).toBeGreaterThan(0);
    expect(run.leftovers).toEqual([]);
    expect(run.failing.result.exitCode).toBe(1);
  });
});
