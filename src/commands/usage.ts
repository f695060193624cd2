import type { CommandName } from "./command.js";

/** One usage block per command, shown under the error when that command is malformed. */
export const COMMAND_USAGE: Readonly<Record<CommandName, string>> = {
  race: [
    "- `/race` — race the default agents with the repo's default lane count",
    "- `/race N` — race N lanes",
    "- `/race claude codex` — one lane per named agent",
    "- `/race 2 claude` — N lanes cycling through the named agents",
    '- `/race 2 --approach "fix it in the parser" --approach "fix it in the caller"` — one approach hint per lane (`--approach=text` works too)',
  ].join("\n"),
  pick: "- `/pick N` — keep lane N: mark its pull request ready and close the others",
  cancel: "- `/cancel` — stop the running race on this issue",
  retry: "- `/retry N` — run lane N again",
  help: "- `/help` — show this help",
  revise: [
    "- `/revise <instructions>` — ask the picked lane's agent for changes (instructions may span several lines)",
    "- `/revise with <agent> <instructions>` — the same, with another agent",
  ].join("\n"),
};

/** The full help text: what `/help` replies with. */
export const USAGE = [
  "**agent-race commands** (write the command as the first line of a comment; only people with write access can use them):",
  "",
  COMMAND_USAGE.race,
  COMMAND_USAGE.pick,
  COMMAND_USAGE.retry,
  COMMAND_USAGE.revise,
  COMMAND_USAGE.cancel,
  COMMAND_USAGE.help,
].join("\n");
