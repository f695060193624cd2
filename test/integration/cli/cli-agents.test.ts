import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../../src/config/agents/agent-presets.js";
import type { AgentListing } from "../../../src/cli/agents-command.js";
import { installedAgentCli } from "../../helpers/agent-clis.js";
import { agentCommand, NODE } from "../../helpers/race-fixture.js";
import { runCli } from "../../helpers/run-cli.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

// `agent-race agents` (issue 13): each agent checked as a lane would run it.

/** Where the escape agent leaves a file when it runs outside the lane sandbox (it tries on every start, `--version` too). */
const ESCAPED = "/tmp/agent-race-escape-marker";
const ESCAPEE = JSON.stringify([fileURLToPath(new URL("../../fixtures/agents/escape-agent.mjs", import.meta.url))]);
const bwrapAvailable = existsSync("/usr/bin/bwrap") || existsSync("/usr/local/bin/bwrap");

const REJECTS_FLAG = JSON.stringify([NODE, "-e", "console.error(\"error: unknown option '--colour'\"); console.error(\"For more information, try '--help'.\"); process.exit(2)"]);

describe("agent-race agents", () => {
  let repo: TempRepo;
  beforeAll(async () => {
    await rm(ESCAPED, { force: true });
    repo = await createTempRepo({
      ".github/agent-race.yml": [
        "agents:",
        `  steady: { command: ${agentCommand("--hang")}, env: [STEADY_API_KEY] }`,
        `  picky: { command: ${REJECTS_FLAG} }`,
        `  missing: { command: ["no-such-agent-cli-xyz"] }`,
        `  escapee: { command: ${ESCAPEE} }`,
        "default_agents: [steady]",
      ].join("\n"),
    });
  });
  afterAll(async () => {
    await repo.cleanup();
    await rm(ESCAPED, { force: true });
  });

  const list = async (env: Record<string, string> = {}): Promise<{ exitCode: number; agents: Record<string, AgentListing> }> => {
    const result = await runCli(repo.dir, ["agents", "--json"], { STEADY_API_KEY: "", ...env });
    const agents = JSON.parse(result.stdout) as AgentListing[];
    return { exitCode: result.exitCode, agents: Object.fromEntries(agents.map((a) => [a.name, a])) };
  };

  it("says why each agent would fail: credentials, a rejected flag (its error line), a missing binary; exit 1 for a default agent", async () => {
    const { exitCode, agents } = await list();
    expect(exitCode).toBe(1);
    expect(agents.steady).toMatchObject({ default: true, source: "repo", credentials: { names: ["STEADY_API_KEY"], set: [] }, problems: ["no credentials: set STEADY_API_KEY"] });
    expect(agents.steady?.selfCheck).toEqual({ ok: true, detail: "started; still running after 1 s with no network" });
    expect(agents.picky?.problems).toEqual(["the CLI rejects its arguments: error: unknown option '--colour'"]);
    expect(agents.missing).toMatchObject({ found: null, selfCheck: { ok: null }, problems: ["`no-such-agent-cli-xyz` is not on PATH"] });
    expect(Object.keys(agents)).toEqual(expect.arrayContaining(Object.keys(PRESETS)));
    // Both starts, `--version` and the self-check, ran in the lane sandbox: nothing reached the host's /tmp.
    expect(agents.escapee?.version).toBe("escapee 1.0");
    if (bwrapAvailable) expect(existsSync(ESCAPED)).toBe(false);
  });

  it("exits 0 when the default agents are ready; the table names the problems of the others", async () => {
    const text = await runCli(repo.dir, ["agents"], { STEADY_API_KEY: "sk-test" });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^steady \*\s+repo\s+\S+\s+\S.*STEADY_API_KEY set\s+ok\s+ready$/m);
    expect(text.stdout).toContain("picky: the CLI rejects its arguments: error: unknown option '--colour'");
  });

  // The pinned real CLIs accept every flag their preset passes (checked by starting them with no network).
  const pinned = JSON.parse(readFileSync(fileURLToPath(new URL("../../agent-clis.json", import.meta.url)), "utf8")) as Record<string, { version: string }>;
  const installed = Object.keys(pinned).filter((name) => !name.startsWith("$")).flatMap((name) => installedAgentCli(name) ?? []);
  it.skipIf(installed.length === 0)("starts each pinned real CLI with its preset's argv, and reads its version", async () => {
    const PATH = [...installed.map((cli) => cli.binDir), process.env.PATH].join(":");
    const { agents } = await list({ PATH });
    for (const cli of installed) {
      expect(agents[cli.name]?.selfCheck, cli.name).toMatchObject({ ok: true });
      expect(agents[cli.name]?.version, cli.name).toContain(cli.version);
    }
  });
});
