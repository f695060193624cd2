import { Command } from "commander";
import { registerAgentsCommand } from "./agents-command.js";
import { registerAppCommands } from "./app-commands.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerManageCommands } from "./manage-commands.js";
import { registerOverlapCommand } from "./overlap-command.js";
import { registerRaceCommand } from "./race-command.js";

/** The `agent-race` command line; `setExit` records the exit code an action wants. */
export function createProgram(setExit: (code: number) => void): Command {
  const program = new Command("agent-race")
    .description("Race AI coding agents on a task in git worktrees, evaluate every attempt, and keep the best one.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerRaceCommand(program, setExit);
  registerAgentsCommand(program, setExit);
  registerManageCommands(program);
  registerOverlapCommand(program);
  registerDemoCommand(program, setExit);
  registerAppCommands(program);
  return program;
}
