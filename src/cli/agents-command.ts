import { access } from "node:fs/promises";
import { constants } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { checkAgent, type AgentCheck } from "../agents/check-agent.js";
import { PRESETS } from "../config/agents/agent-presets.js";
import { loadRepoConfig, REPO_CONFIG_PATH } from "../config/load-repo-config.js";
import { loadOperatorConfig } from "../config/operator-config.js";
import { knownAgents, resolveAgent } from "../config/agents/resolve-agent.js";
import { withOperatorAgents } from "../config/agents/with-operator-agents.js";
import { resolveRepo } from "../git/repo-info.js";
import { mapLimit } from "../pipeline/map-limit.js";
import { defaultAgents } from "../pipeline/plan-lanes.js";
import { worktreeRoot } from "../pipeline/worktree-root.js";
import { LaneSandbox } from "../sandbox/lane-sandbox.js";
import { resolveLaneSandbox } from "../sandbox/resolve-lane-sandbox.js";
import { withScratchLane } from "../sandbox/with-scratch-lane.js";

/** One agent in `agent-race agents --json`. */
export interface AgentListing extends AgentCheck {
  /** Whether a race with no --agent uses it (the config's default agents). */
  default: boolean;
  /** Where it comes from: a built-in preset, your AGENT_RACE_CONFIG, or the repo's config. */
  source: "preset" | "operator" | "repo";
}

/**
 * `agents`: the agents a race here could use, each checked as a lane would run it (on PATH, version,
 * credentials, and a 1-second start of its real argv in the lane sandbox with no network). Exit 1
 * when a default agent is not ready, so a newcomer sees why a lane would fail before racing.
 */
export function registerAgentsCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command("agents")
    .description("list the agents a race can use and check each: on PATH, version, credentials, and a 1-second no-network start of its argv")
    .option("--config <path>", `config file (default: <repo>/${REPO_CONFIG_PATH})`)
    .option("--json", "print the checks as JSON")
    .action(async (options: { config?: string; json?: boolean }) => {
      const listings = await listAgents(process.cwd(), options.config, process.env);
      process.stdout.write(options.json ? `${JSON.stringify(listings, null, 2)}\n` : renderAgents(listings));
      setExit(listings.some((agent) => agent.default && agent.problems.length > 0) ? 1 : 0);
    });
}

async function listAgents(cwd: string, configPath: string | undefined, env: NodeJS.ProcessEnv): Promise<AgentListing[]> {
  const repo = await resolveRepo(cwd).catch(() => null);
  const repoConfig = await loadRepoConfig(resolve(configPath ?? join(repo?.topLevel ?? cwd, REPO_CONFIG_PATH)), { required: Boolean(configPath) });
  const operator = await loadOperatorConfig(env.AGENT_RACE_CONFIG);
  const config = withOperatorAgents(repoConfig, operator);
  const scratchRoot = worktreeRoot(env);
  const resolution = await resolveLaneSandbox(operator.sandbox, { scratchRoot, env });
  const sandbox = resolution.kind === "sandboxed" ? resolution.config : null;
  const defaults = new Set(defaultAgents(config));
  // A few at a time: each starts a CLI twice, and Node CLIs take a second or two of CPU to start.
  return mapLimit(knownAgents(config), 3, async (name): Promise<AgentListing> => {
    const spec = resolveAgent(config, name, { sandboxed: sandbox !== null });
    const preset = PRESETS[name];
    const source = repoConfig.agents[name] ? "repo" : operator.agents[name] ? "operator" : "preset";
    const entry = config.agents[name];
    const unreadable: string[] = [];
    for (const file of Object.values(spec.home_files ?? {})) {
      if (!(await access(file, constants.R_OK).then(() => true, () => false))) unreadable.push(file);
    }
    const installHint = preset ? (preset.name === "aider" ? "pipx install aider-chat" : `npm install -g ${preset.package}`) : undefined;
    // In an empty lane, and its sandbox with no egress when lanes are sandboxed here.
    const check = await withScratchLane(scratchRoot, "agents-check-", (lane) =>
      checkAgent(name, spec, { env, cwd: lane.work, home: lane.home, sandbox: sandbox ? new LaneSandbox({ ...sandbox, lane }).forPhase("agent", []) : undefined, installHint, loginFiles: Object.keys(entry?.home_files ?? {}).length > 0, unreadableHomeFiles: unreadable }));
    return { ...check, default: defaults.has(name), source };
  });
}

/** The text table and, under it, each problem on its own line. */
export function renderAgents(agents: readonly AgentListing[]): string {
  const rows = agents.map((a) => [
    `${a.name}${a.default ? " *" : ""}`,
    a.source,
    a.found ?? "not on PATH",
    a.version ?? "-",
    a.credentials.names.length === 0 ? "-" : a.credentials.set.length > 0 ? `${a.credentials.set.join(", ")} set` : "none set",
    a.selfCheck.ok === null ? "-" : a.selfCheck.ok ? "ok" : "FAILED",
    a.problems.length === 0 ? "ready" : "not ready",
  ]);
  const header = ["agent", "source", "command", "version", "credentials", "self-check", "status"];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const problems = agents.flatMap((a) => a.problems.map((problem) => `  ${a.name}: ${problem}`));
  return [
    line(header),
    ...rows.map(line),
    "",
    "* a default agent (used when a race names none)",
    ...(problems.length > 0 ? ["", "Why a lane would fail:", ...problems] : []),
    "",
  ].join("\n");
}
