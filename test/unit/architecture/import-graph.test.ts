import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The layering docs/architecture.md describes, checked on the source: data flows one way.

const SRC = fileURLToPath(new URL("../../../src", import.meta.url));
const IMPORT = /(?:import|export)(?:\s+type)?\s[^'"]*?from\s+["']([^"']+)["']/g;

interface SourceFile {
  path: string;
  /** Other files of src/ it imports (relative specifiers, resolved). */
  local: string[];
  /** Packages it imports (`bullmq`, `@octokit/rest`, …). */
  packages: string[];
}

function sources(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    if (!entry.name.endsWith(".ts")) return [];
    const specs = [...readFileSync(path, "utf8").matchAll(IMPORT)].map((m) => m[1] as string);
    return [{
      path: relative(SRC, path),
      local: specs.filter((s) => s.startsWith(".")).map((s) => relative(SRC, normalize(join(dirname(path), s))).replace(/\.js$/, ".ts")),
      packages: specs.filter((s) => !s.startsWith(".") && !s.startsWith("node:")).map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0] as string)),
    }];
  });
}

/** The top-level folder (or root file) a path of src/ is in. */
const unit = (path: string): string => path.split(sep)[0] as string;

/** Strongly connected components with more than one node (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (stack.includes(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const files = sources(SRC);
const graphOf = (key: (path: string) => string): Map<string, Set<string>> => {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = key(file.path);
    const edges = graph.get(from) ?? new Set<string>();
    for (const to of file.local.map(key)) if (to !== from) edges.add(to);
    graph.set(from, edges);
  }
  return graph;
};

/** The engine and the types below it: they know neither GitHub nor Redis nor HTTP servers. */
const ENGINE = ["model", "report", "pipeline", "agents", "evals", "git", "process", "sandbox", "config"];
const FRAMEWORKS = ["probot", "bullmq", "ioredis", "express", "@octokit/rest", "@octokit/webhooks", "@bull-board/api", "@bull-board/express"];

describe("the import graph of src/", () => {
  it("has no cycles between folders", () => {
    expect(cycles(graphOf(unit))).toEqual([]);
  });

  it("has no cycles between sub-folders either (config/agents, dashboard/auth, views, http)", () => {
    expect(cycles(graphOf((path) => (path.includes(sep) ? dirname(path) : path)))).toEqual([]);
  });

  it("has no cycles between files", () => {
    expect(cycles(graphOf((path) => path))).toEqual([]);
  });

  it("keeps frameworks out of the engine", () => {
    const leaks = files.filter((f) => ENGINE.includes(unit(f.path))).flatMap((f) => f.packages.filter((p) => FRAMEWORKS.includes(p)).map((p) => `${f.path} imports ${p}`));
    expect(leaks).toEqual([]);
  });

  it("keeps the engine free of the GitHub, queue and App folders, and the model at the bottom", () => {
    const above = ["github", "queue", "overlap", "app", "local", "workers", "webhooks", "commands", "server", "dashboard", "metrics", "cli"];
    const wrong = files.flatMap((f) => {
      const from = unit(f.path);
      return f.local.filter((to) => (ENGINE.includes(from) && above.includes(unit(to))) || (from === "model" && unit(to) !== "model")).map((to) => `${f.path} → ${to}`);
    });
    expect(wrong).toEqual([]);
  });
});
