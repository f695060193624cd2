import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import picomatch from "picomatch";

/** The repository root (the Docker build context). */
export const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO, path), "utf8");
}

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Parses a Dockerfile into stages: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Stage[] {
  const lines = text.split("\n").filter((line) => !/^\s*#/.test(line));
  const joined: string[] = [];
  let pending = "";
  for (const line of lines) {
    const continued = /\\\s*$/.test(line);
    pending += continued ? line.replace(/\\\s*$/, " ") : line;
    if (!continued) {
      if (pending.trim()) joined.push(pending.trim().replace(/\s+/g, " "));
      pending = "";
    }
  }
  const stages: Stage[] = [];
  for (const line of joined) {
    const [keyword = "", ...rest] = line.split(" ");
    const args = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") {
      const [image = "", as, name] = args.split(" ");
      stages.push({ image, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

export function stage(stages: Stage[], name: string): Stage {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage named ${name}`);
  return found;
}

export function all(s: Stage, keyword: string): string[] {
  return s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

export interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
}

/** `COPY [--from=X] [--chown=..] src... dest` (shell form only). */
export function parseCopy(args: string): Copy {
  const words = args.split(" ");
  const flags = words.filter((w) => w.startsWith("--"));
  const paths = words.filter((w) => !w.startsWith("--"));
  const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? "" };
}

/** `ENV A=1 B=2` (unquoted values) as a record. */
export function parseEnv(args: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of args) {
    for (const pair of line.split(" ")) {
      const eq = pair.indexOf("=");
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

/** Whether the build context keeps `path` (relative to the context root) under these .dockerignore rules. */
export function dockerignoreKeeps(path: string, dockerignore: string): boolean {
  const rules = dockerignore.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const parts = path.split("/");
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  let kept = true;
  for (const rule of rules) {
    const negated = rule.startsWith("!");
    const pattern = rule.replace(/^!/, "").replace(/^\//, "").replace(/\/$/, "");
    const match = picomatch(pattern, { dot: true });
    if (prefixes.some((p) => match(p))) kept = negated;
  }
  return kept;
}

/**
 * A small TOML reader for fly.toml: tables, arrays of tables, and one-line values (strings, numbers,
 * booleans, arrays of those). Anything else throws, so the test fails loudly rather than guessing.
 */
export function parseFlyToml(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let table = root;
  for (const raw of text.split("\n")) {
    const line = stripComment(raw).trim();
    if (!line) continue;
    const arrayTable = /^\[\[([\w.]+)\]\]$/.exec(line);
    const plainTable = /^\[([\w.]+)\]$/.exec(line);
    if (arrayTable?.[1]) {
      const path = arrayTable[1].split(".");
      const parent = walk(root, path.slice(0, -1));
      const key = path.at(-1) as string;
      const list = (parent[key] ??= []) as Array<Record<string, unknown>>;
      table = {};
      list.push(table);
    } else if (plainTable?.[1]) {
      table = walk(root, plainTable[1].split("."));
    } else {
      const eq = line.indexOf("=");
      if (eq < 1) throw new Error(`fly.toml: unsupported line: ${raw}`);
      table[line.slice(0, eq).trim()] = parseValue(line.slice(eq + 1).trim(), raw);
    }
  }
  return root;
}

function walk(root: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let node = root;
  for (const key of path) {
    let next = (node[key] ??= {}) as Record<string, unknown> | Array<Record<string, unknown>>;
    if (Array.isArray(next)) next = next.at(-1) as Record<string, unknown>;
    node = next;
  }
  return node;
}

function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== "\\") quoted = !quoted;
    if (line[i] === "#" && !quoted) return line.slice(0, i);
  }
  return line;
}

function parseValue(value: string, raw: string): unknown {
  if (value === "true" || value === "false") return value === "true";
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value.startsWith('"') || value.startsWith("[")) return JSON.parse(value) as unknown;
  throw new Error(`fly.toml: unsupported value: ${raw}`);
}

/** "120s", "2m" or a number of seconds, in seconds. */
export function seconds(value: unknown): number {
  if (typeof value === "number") return value;
  const m = /^(\d+)(s|m)$/.exec(String(value));
  if (!m) throw new Error(`not a duration: ${String(value)}`);
  return Number(m[1]) * (m[2] === "m" ? 60 : 1);
}
