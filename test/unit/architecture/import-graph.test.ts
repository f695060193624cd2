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

  it("keeps the engine free of the GitHub, queue, Redis and App folders, and the model at the bottom", () => {
    const above = ["github", "queue", "redis", "overlap", "app", "local", "workers", "webhooks", "commands", "server", "dashboard", "metrics", "cli"];
    const wrong = files.flatMap((f) => {
      const from = unit(f.path);
      return f.local.filter((to) => (ENGINE.includes(from) && above.includes(unit(to))) || (from === "model" && unit(to) !== "model")).map((to) => `${f.path} → ${to}`);
    });
    expect(wrong).toEqual([]);
  });

  it("keeps BullMQ and ioredis out of the dashboard, overlap and metrics, and BullMQ out of redis/", () => {
    const banned: Record<string, string[]> = { dashboard: ["bullmq", "ioredis"], overlap: ["bullmq", "ioredis"], metrics: ["bullmq", "ioredis"], redis: ["bullmq"] };
    const leaks = files.flatMap((f) => f.packages.filter((p) => banned[unit(f.path)]?.includes(p)).map((p) => `${f.path} imports ${p}`));
    expect(leaks).toEqual([]);
  });

  it("keeps the dashboard and overlap off Redis and the queues: they own the interfaces redis/ and queue/ implement", () => {
    const wrong = files.flatMap((f) => {
      const from = unit(f.path);
      return ["dashboard", "overlap"].includes(from) ? f.local.filter((to) => ["redis", "queue"].includes(unit(to))).map((to) => `${f.path} → ${to}`) : [];
    });
    expect(wrong).toEqual([]);
  });

  it("calls Octokit only from github/: no Probot or Octokit import, and no REST or GraphQL call, anywhere else", () => {
    // server/ hosts Probot's webhook server and app; webhooks/ verifies signatures with @octokit/webhooks.
    const allowed: Record<string, string[]> = { server: ["probot"], webhooks: ["@octokit/webhooks"] };
    const imports = files.filter((f) => unit(f.path) !== "github").flatMap((f) =>
      f.packages.filter((p) => (p === "probot" || p.startsWith("@octokit/")) && !allowed[unit(f.path)]?.includes(p)).map((p) => `${f.path} imports ${p}`));
    const calls = files.filter((f) => unit(f.path) !== "github").flatMap((f) =>
      /\.rest\.[a-z]+\.|\.graphql[<(]|\.paginate\(/.test(readFileSync(join(SRC, f.path), "utf8")) ? [`${f.path} calls Octokit`] : []);
    expect([...imports, ...calls]).toEqual([]);
  });

  it("holds at most 25 files directly in any folder", () => {
    const perFolder = new Map<string, number>();
    for (const f of files) perFolder.set(dirname(f.path), (perFolder.get(dirname(f.path)) ?? 0) + 1);
    expect([...perFolder].filter(([, n]) => n > 25).map(([folder, n]) => `${folder}: ${n}`)).toEqual([]);
  });
});
