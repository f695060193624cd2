import { join } from "node:path";
import type { Command } from "commander";
import { loadRepoConfig, REPO_CONFIG_PATH } from "../config/load-repo-config.js";
import { createDemoRepo, DEMO_TASK } from "../demo/create-demo-repo.js";
import { raceWithProgress } from "./race-command.js";

export function registerDemoCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command("demo")
    .description("race three scripted example agents on a small example repo (no API key needed)")
    .option("--json", "print the JSON report on stdout")
    .action(async (options: { json?: boolean }) => {
      const dir = await createDemoRepo();
      const say = (text: string): boolean => process.stderr.write(`${text}\n`);
      say("agent-race DEMO: scripted example agents, not real AI agents.");
      say(`Example repo: ${dir}`);
      say(`Task: ${DEMO_TASK}`);
      say("Agents: careful (a correct fix), hasty (breaks another test), wanderer (edits outside src/).\n");
      const config = await loadRepoConfig(join(dir, REPO_CONFIG_PATH), { required: true });
      const report = await raceWithProgress({ cwd: dir, task: DEMO_TASK, config, options: { json: options.json ?? false } });
      say(`\nLook around: cd ${dir} && ${process.argv[1] ?? "agent-race"} list`);
      setExit(report.winner === null ? 1 : 0);
    });
}
