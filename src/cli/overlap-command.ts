import type { Command } from "commander";
import { findLocalOverlaps } from "../overlap/find-local-overlaps.js";
import { renderLocalOverlaps } from "../overlap/render-local-overlaps.js";

/** Where the command reads its directory and writes its output (the process's, unless a test says otherwise). */
export interface OverlapCommandIo {
  cwd: () => string;
  write: (text: string) => void;
}

/** `overlap [race]`: which files a race's lanes share with the other local branches, and whether they merge. */
export function registerOverlapCommand(program: Command, io: Partial<OverlapCommandIo> = {}): void {
  const cwd = io.cwd ?? (() => process.cwd());
  const write = io.write ?? ((text: string) => void process.stdout.write(text));
  program
    .command("overlap")
    .description("show the files each lane of a race shares with the other local branches, and whether they would conflict")
    .argument("[race]", "race id (default: the newest race; see agent-race list)")
    .option("--json", "print the overlaps as JSON")
    .action(async (raceId: string | undefined, options: { json?: boolean }) => {
      const report = await findLocalOverlaps({ cwd: cwd(), raceId });
      write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderLocalOverlaps(report));
    });
}
