import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { startAppHarness, UNSANDBOXED_OPERATOR, type AppHarness } from "../../test/helpers/app-harness.js";
import { ANSWER_FILES, CHECK_EVALS, NODE } from "../../test/helpers/race-fixture.js";
import { killProcessesIn } from "../../test/helpers/worker-process.js";
import { childEnv, PRODUCTION_LOCK_MS, TIMED_AGENT } from "./lib.js";

/** The setup the race benchmarks share (race-app, multi-issue, worker-memory). */
export interface RaceHarnessOptions {
  /** The one agent every lane runs: the timed agent with these arguments. */
  agent: { name: string; args: readonly string[] };
  lanes: number;
  /** Files besides the answer repo's and the config. */
  files?: Record<string, string>;
  /** Default true; false runs `serve --no-worker`, with workers started from `workerEnv`. */
  withWorker?: boolean;
  env?: Record<string, string>;
}

/**
 * The app harness on the "make src/answer.txt say 42" repo, racing `lanes` lanes of the timed agent with the
 * `check` eval, under BullMQ's production lock duration.
 */
export function startRaceHarness(options: RaceHarnessOptions): Promise<AppHarness> {
  const config = [
    "agents:",
    `  ${options.agent.name}: { command: ${JSON.stringify([NODE, TIMED_AGENT, ...options.agent.args])} }`,
    `default_agents: [${options.agent.name}]`,
    `lanes: ${options.lanes}`,
    CHECK_EVALS,
  ].join("\n");
  return startAppHarness({
    // Unsandboxed: the timed agent logs its times to a file outside its lane, and these benchmarks measure the
    // app's own overhead against earlier results; the sandbox's cost per lane is `npm run bench -- sandbox`.
    operator: UNSANDBOXED_OPERATOR,
    files: { ...options.files, ...ANSWER_FILES, ".github/agent-race.yml": config },
    withWorker: options.withWorker ?? true,
    env: { ...options.env, AGENT_RACE_LOCK_MS: PRODUCTION_LOCK_MS },
  });
}

/** The environment of an `agent-race worker` child for the harness, as a production worker would run. */
export function workerEnv(h: AppHarness, laneConcurrency: number): Record<string, string> {
  return childEnv({ ...h.envVars, LANE_CONCURRENCY: String(laneConcurrency), AGENT_RACE_GITHUB_THROTTLE: "off", LOG_LEVEL: "info", AGENT_RACE_LOCK_MS: PRODUCTION_LOCK_MS });
}

/** Kills whatever a race left running in the worktrees (agents, evals), then closes the harness. */
export async function closeRaceHarness(h: AppHarness | undefined): Promise<void> {
  if (!h) return;
  const worktrees = join(realpathSync(h.dir), "cache", "worktrees");
  if (existsSync(worktrees)) killProcessesIn(worktrees);
  await h.close();
}
