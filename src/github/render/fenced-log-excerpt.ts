import { redactSecrets } from "../../pipeline/redact-secrets.js";

const MAX_LINES = 40;
const MAX_CHARS = 3000;
/** CSI and OSC terminal escape sequences (colours, titles, hyperlinks). */
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
/** Control characters other than tab and newline. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * The tail of a lane's log as a fenced code block: secrets redacted (before cutting, so a cut
 * cannot hide one), terminal escapes removed, the last 40 lines and at most 3000 characters.
 * The fence is longer than any backtick run inside, so the log cannot close it.
 */
export function fencedLogExcerpt(log: string, secrets: readonly string[] = []): string {
  const clean = redactSecrets(log, secrets).replace(/\r\n?/g, "\n").replace(ANSI_ESCAPE, "").replace(CONTROL, "");
  let tail = clean.trimEnd().split("\n").slice(-MAX_LINES).join("\n");
  if (tail.length > MAX_CHARS) {
    const cut = tail.slice(-MAX_CHARS);
    const newline = cut.indexOf("\n");
    tail = `…${newline >= 0 && newline < cut.length - 1 ? cut.slice(newline) : cut}`;
  }
  if (tail.trim() === "") tail = "(empty log)";
  const longestRun = Math.max(0, ...(tail.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${tail}\n${fence}`;
}
