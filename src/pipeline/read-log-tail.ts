import { readFile } from "node:fs/promises";
import { redactSecrets } from "./redact-secrets.js";

/** The last 60 lines (at most 6,000 characters) of a lane's log, redacted; empty when there is no log. */
export async function readLogTail(path: string, secrets: readonly string[]): Promise<string> {
  const text = await readFile(path, "utf8").catch(() => "");
  return redactSecrets(text.split("\n").slice(-60).join("\n").slice(-6000), secrets);
}
