import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { loadRepoConfig, REPO_CONFIG_PATH } from "../config/load-repo-config.js";
import type { RepoConfig } from "../config/repo-config.js";
import { withOperatorAgents } from "../config/agents/with-operator-agents.js";
import { loadOperatorConfig, type OperatorConfig } from "../config/operator-config.js";
import { UserError } from "../errors.js";
import { resolveRepo } from "../git/repo-info.js";
import type { RaceReport } from "../model/race-report.js";
import { renderTextReport } from "../report/render-text-report.js";
import { runRace } from "../local/run-race.js";
import { worktreeRoot } from "../pipeline/worktree-root.js";
import { resolveLaneSandbox, type LaneSandboxConfig } from "../sandbox/resolve-lane-sandbox.js";
import { collect, parseIntOption } from "./parse-int-option.js";
import { ProgressView } from "./progress-view.js";
import { withCancelSignal } from "./with-cancel-signal.js";

export interface RaceCliOptions {
  taskFile?: string;
  lanes?: number;
  agent?: string[];
  approach?: string[];
  base?: string;
  config?: string;
  parallel?: number;
  keep?: boolean;
  json?: boolean;
  /** False with --no-sandbox. */
  sandbox?: boolean;
}

export function registerRaceCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command("race")
    .description("race N agents on a task, each in its own git worktree, then evaluate and rank them")
    .argument("[task...]", "the task text (or use --task-file)")
    .option("--task-file <file>", "read the task text from a file")
    .option("-n, --lanes <n>", "how many lanes (default: the config's lanes)", parseIntOption("--lanes"))
    .option("--agent <name>", "agent for the lanes; repeat to cycle several", collect)
    .option("--approach <text>", "approach hint, one per lane; repeat for each lane", collect)
    .option("--base <ref>", "commit or branch the lanes start from (default: HEAD)")
    .option("--config <path>", `config file (default: <repo>/${REPO_CONFIG_PATH})`)
    .option("--parallel <n>", "lanes running at once (default: all)", parseIntOption("--parallel"))
    .option("--keep", "keep the worktrees and every lane branch after the race")
    .option("--json", "print the JSON report on stdout and nothing else")
    .option("--no-sandbox", "run lanes without the lane sandbox, with your own privileges (see docs/security.md)")
    .action(async (words: string[], options: RaceCliOptions) => {
      const task = options.taskFile ? await readTaskFile(options.taskFile) : words.join(" ");
      const repo = await resolveRepo(process.cwd());
      const config = await loadRepoConfig(resolve(options.config ?? join(repo.topLevel ?? ".", REPO_CONFIG_PATH)), { required: Boolean(options.config) });
      const report = await raceWithProgress({ cwd: process.cwd(), task, config, options });
      setExit(report.winner === null ? 1 : 0);
    });
}

/** Runs a race with the live view on stderr and the table or JSON on stdout. */
export async function raceWithProgress(input: { cwd: string; task: string; config: RepoConfig; options: RaceCliOptions; env?: NodeJS.ProcessEnv }): Promise<RaceReport> {
  const { options } = input;
  const operator = await loadOperatorConfig((input.env ?? process.env).AGENT_RACE_CONFIG);
  const config = withOperatorAgents(input.config, operator);
  const sandbox = await chooseSandbox(options.sandbox !== false, operator, input.env);
  const view = new ProgressView(process.stderr);
  const report = await withCancelSignal(
    (signal) =>
      runRace({
        cwd: input.cwd, task: input.task, config, base: options.base, lanes: options.lanes,
        agents: options.agent, approaches: options.approach, parallel: options.parallel, keep: options.keep,
        signal, env: input.env, onEvent: view.onEvent, sandbox,
        onStart: (record) => process.stderr.write(`Race ${record.id}: ${record.lanes.length} lanes from ${record.base} (${record.base_sha.slice(0, 8)})\n`),
      }).finally(() => view.stop()),
    () => process.stderr.write("Cancelling: stopping agents and removing worktrees…\n"),
  );
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `\n${renderTextReport(report)}`);
  return report;
}

/**
 * Lanes run in the lane sandbox wherever it works. Without it (--no-sandbox, `sandbox: none` in
 * AGENT_RACE_CONFIG, or no working bubblewrap), they run with the user's privileges after a warning.
 */
async function chooseSandbox(wanted: boolean, operator: OperatorConfig, env: NodeJS.ProcessEnv | undefined): Promise<LaneSandboxConfig | null> {
  if (!wanted) {
    process.stderr.write("warning: --no-sandbox: agents, setup and evals run with your own privileges and can read your files and use your network\n");
    return null;
  }
  const resolution = await resolveLaneSandbox(operator.sandbox, { scratchRoot: worktreeRoot(env), env });
  if (resolution.kind === "sandboxed") return resolution.config;
  process.stderr.write(
    resolution.kind === "off"
      ? "warning: sandbox: none (AGENT_RACE_CONFIG): agents, setup and evals run with your own privileges\n"
      : `warning: ${resolution.probe.problem ?? "the lane sandbox is unavailable"}\nwarning: running lanes UNSANDBOXED: agents, setup and evals can read your files and use your network (pass --no-sandbox to accept this without the check)\n`,
  );
  return null;
}

async function readTaskFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(`cannot read --task-file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
