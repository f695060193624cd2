/** `error: …`, `Error: …`, `fatal: …`, `TypeError: …`, `[ERROR] …`, `ERR! …`, a Rust panic: a line that says what went wrong. */
const ERROR_LINE = /^(?:\[?(?:error|fatal|err!?)\]?(?:\[[^\]]*\])?\s*[:!\]]|[A-Z][A-Za-z]*(?:Error|Exception)\b|thread '.*' panicked|panic:|npm ERR!)/i;
/** Lines that never explain a failure: usage hints, stack frames, blank decoration. */
const NOISE = /^(?:for more information|usage:|try '.*--help'|at\s|\^+$|[-=─]+$)/i;
const MAX = 200;

/**
 * The line of an agent's stderr that says why it failed: the first that looks like an error
 * (`error: unexpected argument '--no-such-flag' found`), else the last line that is not a usage
 * hint or a stack frame ("For more information, try '--help'." explains nothing). ANSI colours
 * are stripped; the line is cut to 200 characters. Null when stderr says nothing.
 */
export function firstErrorLine(stderr: string): string | null {
  const lines = stderr
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const line = lines.find((candidate) => ERROR_LINE.test(candidate)) ?? lines.filter((candidate) => !NOISE.test(candidate)).at(-1) ?? null;
  if (line === null) return null;
  return line.length > MAX ? `${line.slice(0, MAX - 1)}…` : line;
}
