import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedAgentCli } from "../helpers/agent-clis.js";
import { chatCompletions } from "../helpers/fake-model/chat-completions.js";
import { startModelServer, type ModelServer } from "../helpers/fake-model/model-server.js";
import { isProcessAlive } from "../helpers/is-process-alive.js";
import { NODE } from "../helpers/race-fixture.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { createTempRepo, type TempRepo } from "../helpers/temp-repo.js";

// The real opencode CLI (pinned in test/agent-clis.json) races through the public CLI, each lane in
// the real lane sandbox, with `base_url` pointing the preset at a local Chat Completions stand-in:
// a scripted model that edits the file the eval checks, one that answers 401, one that never answers.

const bwrapAvailable = existsSync("/usr/bin/bwrap") || existsSync("/usr/local/bin/bwrap");
const cli = bwrapAvailable ? installedAgentCli("opencode") : undefined;
const TASK = "Fix median() in src/median.mjs for even-length arrays";
const MEDIAN = "export function median(xs) {\n  const s = [...xs].sort((a, b) => a - b);\n  return s[Math.floor(s.length / 2)];\n}\n";
const CHECK = `import { median } from "./src/median.mjs";\nprocess.exit(median([4, 1, 3, 2]) === 2.5 && median([3, 1, 2]) === 2 ? 0 : 1);\n`;
const OLD_LINE = "  return s[Math.floor(s.length / 2)];";
const NEW_LINES = "  const mid = Math.floor(s.length / 2);\n  return s.length % 2 === 0 ? (s[mid - 1] + s[mid]) / 2 : s[mid];";

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
  wallMs: number;
}

describe.skipIf(!cli)("the real opencode CLI, sandboxed, against a Chat Completions stand-in", () => {
  let good: ModelServer;
  let bad: ModelServer;
  let silent: ModelServer;
  let scratch: string;
  const repos: TempRepo[] = [];
  let passing: Race;
  let failing: Race;
  let seenSilent = 0;
  let leftovers: string[] = [];

  beforeAll(async () => {
    [good, bad, silent] = await Promise.all([
      startModelServer([chatCompletions()], [
        // Two rate-limit answers before the first turn (of either lane): opencode's own retry rides them out.
        { error: { status: 429, message: "Rate limit reached for requests", times: 2 } },
        { tool: "read", input: { filePath: "{cwd}/src/median.mjs" } },
        { tool: "edit", input: { filePath: "{cwd}/src/median.mjs", oldString: OLD_LINE, newString: NEW_LINES } },
        { text: "Fixed median() for even-length arrays." },
      ]),
      startModelServer([chatCompletions()], [{ error: { status: 401, message: "Incorrect API key provided" } }]),
      startModelServer([chatCompletions()], [{ silent: true }]),
    ]);
    scratch = await mkdtemp(join(tmpdir(), "agent-race-real-opencode-"));
    // The CLI is installed under the real HOME, which the lane sandbox hides: the race gets a HOME of its own.
    const home = join(scratch, "home");
    await mkdir(home);
    const env = { HOME: home, PATH: [cli!.binDir, process.env.PATH ?? ""].join(delimiter), OPENAI_API_KEY: "sk-stand-in-key" };
    const model = "model: stand-in-coder";
    const config = [
      "mode: compare",
      "agents:",
      `  opencode: { base_url: "${good.url}/v1", ${model} }`,
      `  bad-key: { preset: opencode, base_url: "${bad.url}/v1", ${model} }`,
      `  silent: { preset: opencode, base_url: "${silent.url}/v1", timeout: 10s, ${model} }`,
      "evals:",
      `  - { name: median, run: ${JSON.stringify([NODE, "check.mjs"])} }`,
    ].join("\n");
    const race = async (args: string[]): Promise<Race> => {
      const repo = await createTempRepo({ "src/median.mjs": MEDIAN, "check.mjs": CHECK, ".github/agent-race.yml": config });
      repos.push(repo);
      const started = Date.now();
      const result = await runCli(repo.dir, ["race", "--json", ...args, TASK], env);
      try {
        return { result, repo, wallMs: Date.now() - started, lanes: (JSON.parse(result.stdout) as { lanes: Lane[] }).lanes.sort((a, b) => a.lane - b.lane) };
      } catch {
        throw new Error(`no JSON report (exit ${result.exitCode}): ${result.stderr.slice(-2000)}`);
      }
    };
    // The silent lane's processes, counted while the race runs (so the check is known to see them) and after it.
    const silentHost = new URL(silent.url).host;
    const watch = setInterval(() => {
      seenSilent = Math.max(seenSilent, processesMentioning(silentHost).length);
    }, 500);
    try {
      // opencode spends 2-3 s of CPU before its first request: four starting at once on two cores
      // take 8 s and more to reach their model. So the passing race starts once the failing race's
      // CLIs have reached theirs, while the silent lane only waits.
      const failingRace = race(["--agent", "bad-key", "--agent", "silent"]);
      await until(() => silent.requests.length > 0 && agentTurns(bad) > 0, 15_000);
      passing = await race(["--agent", "opencode", "-n", "2"]);
      failing = await failingRace;
    } finally {
      clearInterval(watch);
    }
    leftovers = processesMentioning(silentHost);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([good, bad, silent].map((server) => server?.close()));
    await Promise.all([...repos.map((repo) => repo.cleanup()), scratch ? rm(scratch, { recursive: true, force: true }) : undefined]);
  });

  it("two lanes pass: opencode read and edited the file through its own tools, after retrying the rate limit", async () => {
    expect(passing.result.exitCode, passing.result.stderr).toBe(0);
    expect(passing.lanes.map((l) => [l.status, l.evals.map((e) => e.passed), l.files_changed])).toEqual([["passed", [true], 1], ["passed", [true], 1]]);
    for (const lane of passing.lanes) expect(await passing.repo.git("show", `${lane.branch}:src/median.mjs`)).toContain("const mid = Math.floor(s.length / 2);");
    // Three answered turns a lane (read, edit, text), plus the two 429s.
    expect(good.served.answers).toBe(6);
    expect(agentTurns(good)).toBe(8);
    // The lane's key reached the endpoint, through the provider the preset made of base_url.
    expect(good.requests.find((r) => agentTurn(r.body))?.headers.authorization).toMatch(/^Bearer sk-st/);
    expect(good.requests.find((r) => agentTurn(r.body))?.body).toMatchObject({ model: "stand-in-coder", stream: true });
    // Only the plugin install opencode starts in the background asks for the network, and is refused.
    for (const lane of passing.lanes) expect((lane.note ?? "").replace(/network access refused by the sandbox: registry\.npmjs\.org:443/, "")).not.toMatch(/refused/);
  });

  it("reports exactly the tokens the stand-in served, and no cost (a provider of its own has no prices)", () => {
    const tokens = passing.lanes.map((l) => l.tokens ?? 0);
    expect(tokens.every((t) => t > 0)).toBe(true);
    expect(tokens[0]! + tokens[1]!).toBe(good.served.inputTokens + good.served.outputTokens);
    expect(passing.lanes.map((l) => l.cost_usd)).toEqual([null, null]);
  });

  it("an invalid key (HTTP 401) fails its lane within 10 s, saying so, without retrying", () => {
    const lane = failing.lanes.find((l) => l.agent === "bad-key");
    expect(lane?.status).toBe("error");
    expect(lane?.note).toMatch(/Incorrect API key provided \(HTTP 401\)/);
    expect(lane?.duration_ms).toBeLessThan(10_000);
    expect(agentTurns(bad)).toBe(1);
  });

  it("a model that never answers is ended by the lane timeout, leaving no process behind", () => {
    const lane = failing.lanes.find((l) => l.agent === "silent");
    expect(lane?.status).toBe("timeout");
    expect(lane?.note).toMatch(/timed out after 10s/);
    expect(lane?.duration_ms).toBeLessThan(14_000);
    // opencode's first request (its title side call, or its first turn) reached the stand-in and was never answered.
    expect(silent.requests.some((r) => r.path === "/v1/chat/completions")).toBe(true);
    expect(seenSilent).toBeGreaterThan(0);
    expect(leftovers).toEqual([]);
    expect(failing.result.exitCode).toBe(1);
  });
});

/** Resolves once `ready()` holds, or after `ms` at the latest. */
async function until(ready: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** A request of the agent's own turns (with tools), not a title side call. */
function agentTurn(body: unknown): boolean {
  const tools = (body as { tools?: unknown } | null)?.tools;
  return Array.isArray(tools) && tools.length > 0;
}

function agentTurns(server: ModelServer): number {
  return server.requests.filter((r) => r.method === "POST" && r.path === "/v1/chat/completions" && agentTurn(r.body)).length;
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
