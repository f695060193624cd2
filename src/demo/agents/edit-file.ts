import { readFileSync, writeFileSync } from "node:fs";

/** Shared by the demo agents: "think" for a while, printing progress, then edit a file. */
export async function think(seconds: number, thoughts: readonly string[]): Promise<void> {
  for (const thought of thoughts) {
    process.stdout.write(`${thought}\n`);
    await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / thoughts.length));
  }
}

export function replaceInFile(path: string, from: string, to: string): void {
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`demo agent: ${path} does not contain the expected code`);
  writeFileSync(path, text.replace(from, to));
}
