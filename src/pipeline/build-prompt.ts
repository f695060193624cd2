export interface PromptInput {
  task: string;
  approach: string | null;
  scope: readonly string[];
  lane: number;
  lanes: number;
}

/**
 * The prompt every agent gets: the task, the lane's approach hint and the scope rule.
 * It always starts with a fixed word, so it can never be mistaken for a command-line flag.
 */
export function buildPrompt(input: PromptInput): string {
  const parts = [
    "Task: make the change described below in this repository. Edit the files directly; you do not need to commit.",
    "",
    input.task.trim(),
  ];
  if (input.approach) {
    parts.push("", `Approach: ${input.approach.trim()}`, "Follow this approach; other attempts are trying different ones.");
  }
  if (input.scope.length > 0) {
    parts.push("", `Scope: only change files matching ${input.scope.map((glob) => `\`${glob}\``).join(", ")}. Changes elsewhere are reported as out of scope.`);
  }
  parts.push("", `(attempt ${input.lane} of ${input.lanes})`);
  return `${parts.join("\n")}\n`;
}
