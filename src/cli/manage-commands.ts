import type { Command } from "commander";
import { resolveRepo } from "../git/repo-info.js";
import { cleanRaces } from "../local/clean-races.js";
import { pickLane } from "../local/pick-lane.js";
import { RaceStore } from "../local/race-store.js";
import { recoverStaleRaces } from "../local/recover-stale-races.js";
import { parseIntOption } from "./parse-int-option.js";

/** `list`, `pick` and `clean`: the commands that look after finished races. */
export function registerManageCommands(program: Command): void {
  program
    .command("list")
    .description("list the races and lanes recorded in this repository")
    .option("--json", "print the race records as JSON")
    .action(async (options: { json?: boolean }) => {
      const repo = await resolveRepo(process.cwd());
      const store = new RaceStore(repo.commonDir);
      await recoverStaleRaces(store, repo.topLevel ?? repo.commonDir);
      const records = await store.list();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
        return;
      }
      if (records.length === 0) {
        process.stdout.write("No races in this repository yet. Start one with: agent-race race \"<task>\"\n");
        return;
      }
      for (const record of records) {
        const winner = record.report?.winner;
        process.stdout.write(`${record.id}  ${record.state.padEnd(11)} ${record.created_at.slice(0, 16).replace("T", " ")}  ${record.task.split("\n")[0]?.slice(0, 60)}\n`);
        for (const lane of record.report?.lanes ?? []) {
          process.stdout.write(`  lane ${lane.lane} ${lane.agent.padEnd(10)} ${lane.status.padEnd(10)} ${lane.branch}${lane.lane === winner ? "  (winner)" : ""}${record.picked_lane === lane.lane ? "  (picked)" : ""}\n`);
        }
      }
    });

  program
    .command("pick")
    .description("merge a lane into the base branch (--no-ff) and delete the other lanes' branches")
    .argument("<race>", "race id (see agent-race list)")
    .argument("<lane>", "lane number", parseIntOption("lane"))
    .action(async (raceId: string, lane: number) => {
      const { commit, deleted } = await pickLane({ cwd: process.cwd(), raceId, lane });
      process.stdout.write(`Merged lane ${lane} of race ${raceId} as ${commit.slice(0, 10)}; deleted ${deleted.length} other lane branch(es).\n`);
    });

  program
    .command("clean")
    .description("remove the worktrees and branches of one race, or of all finished races")
    .argument("[race]", "race id (default: every finished race)")
    .action(async (raceId: string | undefined) => {
      const cleaned = await cleanRaces({ cwd: process.cwd(), raceId });
      for (const race of cleaned) process.stdout.write(`Cleaned race ${race.id}: removed ${race.branches.length} branch(es).\n`);
      if (cleaned.length === 0) process.stdout.write("Nothing to clean.\n");
    });
}
