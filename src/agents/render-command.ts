export interface CommandValues {
  prompt: string;
  prompt_file: string;
  lane: number;
  port: number;
}

const PLACEHOLDER = /\{(prompt|prompt_file|lane|port)\}/g;

/**
 * Fills `{prompt}`, `{prompt_file}`, `{lane}` and `{port}` in an agent's argv. Each value stays
 * inside its own argument: nothing is ever joined into a shell line. With `prompt: arg` and no
 * `{prompt}` placeholder, the prompt is appended as the last argument.
 */
export function renderCommand(command: readonly string[], mode: "arg" | "stdin" | "file", values: CommandValues): string[] {
  const argv = command.map((arg) => arg.replace(PLACEHOLDER, (_, key: keyof CommandValues) => String(values[key])));
  const mentions = (name: string): boolean => command.some((arg) => arg.includes(`{${name}}`));
  if (mode === "arg" && !mentions("prompt")) argv.push(values.prompt);
  if (mode === "file" && !mentions("prompt_file")) argv.push(values.prompt_file);
  return argv;
}
