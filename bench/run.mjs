#!/usr/bin/env node
// @ts-check
// The benchmark runner: `npm run bench [-- <name>…] [--quick] [--runs N] [--out DIR] [--list] [--markdown]`.
//
// Every benchmark is a program run in a process group of its own (a plain Node script importing dist/,
// or a vitest file that reuses the test helpers), with a hard timeout. It writes what it measured as
// JSON to $BENCH_OUT; this runner adds median/min/max/ratio, prints the table and writes
// <out>/<name>.json (bench/results/ by default, bench/.cache/results-quick/ with --quick so a quick
// run never overwrites the committed full results).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildResult, machine, markdownTable, resultTable } from "./lib/result.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const VITEST = join(ROOT, "node_modules", "vitest", "vitest.mjs");
const VITEST_CONFIG = join(ROOT, "bench", "vitest.bench.config.ts");

/**
 * @typedef {{ name: string, summary: string, script?: string, vitest?: string, fullMinutes: number }} Benchmark
 * @type {Benchmark[]}
 */
const BENCHMARKS = [
  { name: "provision", summary: "N lanes ready from a warm mirror: createLaneCheckout vs raw git worktree add vs N git clones", script: "bench/provision.mjs", fullMinutes: 120 },
  { name: "race-local", summary: "local runRace with 3 and 8 sleeping scripted agents: wall vs slowest lane", script: "bench/race-local.mjs", fullMinutes: 15 },
  { name: "sandbox", summary: "the 8-lane local race with every lane process in the bubblewrap sandbox vs the same race without it", script: "bench/sandbox.mjs", fullMinutes: 10 },
  { name: "race-app", summary: "webhook → comparison comment for 8 instant lanes, by phase", vitest: "bench/app/race-app.bench.ts", fullMinutes: 15 },
  { name: "multi-issue", summary: "3 issues at once on 2 worker processes vs one after another", vitest: "bench/app/multi-issue.bench.ts", fullMinutes: 20 },
  { name: "ingest", summary: "2,000 signed deliveries, concurrency 50: throughput and ack latency", vitest: "bench/app/ingest.bench.ts", fullMinutes: 15 },
  { name: "worker-memory", summary: "RSS of a worker process during an 8-lane race vs idle", vitest: "bench/app/worker-memory.bench.ts", fullMinutes: 15 },
  { name: "overlap", summary: "files of 1,000 open PRs for overlap detection: batched GraphQL + cache, cold and warm, vs one REST call per PR", vitest: "bench/app/overlap.bench.ts", fullMinutes: 15 },
];

function usage() {
  return [
    "usage: npm run bench [-- <name>…] [--quick] [--runs N] [--out DIR] [--tmp DIR] [--list] [--markdown]",
    "",
    ...BENCHMARKS.map((b) => `  ${b.name.padEnd(14)} ${b.summary}`),
    "",
    "  --quick     small versions (CI runs provision, race-local and overlap: well under 2 minutes); results go to bench/.cache/results-quick/",
    "  --runs N    repetitions per measurement (default: 3, quick: 2)",
    "  --out DIR   where <name>.json is written (default bench/results/)",
    "  --tmp DIR   where lanes, clones and scratch repos go (default: the OS temp dir); a scratch dir in it is each benchmark's TMPDIR",
    "  --markdown  print the tables of the results already in --out as Markdown, run nothing",
  ].join("\n");
}

function parseArgs(argv) {
  const options = { names: /** @type {string[]} */ ([]), quick: false, runs: 0, out: "", tmp: "", list: false, markdown: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--quick") options.quick = true;
    else if (arg === "--list") options.list = true;
    else if (arg === "--markdown") options.markdown = true;
    else if (arg === "--runs") options.runs = Number(argv[++i]);
    else if (arg.startsWith("--runs=")) options.runs = Number(arg.slice(7));
    else if (arg === "--out") options.out = argv[++i] ?? "";
    else if (arg.startsWith("--out=")) options.out = arg.slice(6);
    else if (arg === "--tmp") options.tmp = argv[++i] ?? "";
    else if (arg.startsWith("--tmp=")) options.tmp = arg.slice(6);
    else if (arg === "-h" || arg === "--help") options.list = true;
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}\n\n${usage()}`);
    else options.names.push(arg);
  }
  if (options.runs && (!Number.isInteger(options.runs) || options.runs < 1 || options.runs > 50)) throw new Error("--runs must be a whole number from 1 to 50");
  for (const name of options.names) if (!BENCHMARKS.some((b) => b.name === name)) throw new Error(`no benchmark called ${JSON.stringify(name)}\n\n${usage()}`);
  return options;
}

/** The program that runs `bench`: a plain Node script, or a vitest file. */
function programOf(/** @type {Benchmark} */ bench) {
  if (bench.vitest) return { file: bench.vitest, argv: [VITEST, "run", "--config", VITEST_CONFIG, bench.vitest] };
  const file = bench.script ?? "";
  return { file, argv: [join(ROOT, file)] };
}

/** Runs one benchmark program in its own process group; kills the whole group on timeout or Ctrl-C. */
function runProgram(/** @type {string[]} */ argv, /** @type {NodeJS.ProcessEnv} */ env, /** @type {number} */ timeoutMs) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"], detached: true });
    const killGroup = (/** @type {NodeJS.Signals} */ signal) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup("SIGTERM");
      setTimeout(() => killGroup("SIGKILL"), 5000).unref();
    }, timeoutMs);
    const onSignal = () => {
      killGroup("SIGTERM");
      setTimeout(() => killGroup("SIGKILL"), 3000).unref();
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      // Anything the benchmark left in its group (it should have cleaned up itself).
      killGroup("SIGKILL");
      resolvePromise({ code, signal, timedOut });
    });
  });
}

/** An isolated git identity and config for every benchmark (like the tests' setup): no user or system config. */
function isolatedGitEnv(/** @type {string} */ sessionDir) {
  const gitconfig = join(sessionDir, "gitconfig");
  writeFileSync(gitconfig, "[user]\n\tname = Bench User\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n[protocol \"file\"]\n\tallow = always\n[gc]\n\tauto = 0\n");
  return { GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: "1" };
}

/** A command's trimmed stdout, or "unknown". */
function output(/** @type {string} */ command, /** @type {string[]} */ args) {
  return new Promise((res) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.once("exit", (code) => res(code === 0 ? out.trim() : "unknown"));
    child.once("error", () => res("unknown"));
  });
}

function warnIfDistStale() {
  const built = join(ROOT, "dist", "main.js");
  if (!existsSync(built)) throw new Error("dist/ is missing: run `npm run build` first");
  const newest = (/** @type {string} */ dir) => {
    let latest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }
    return latest;
  };
  if (newest(join(ROOT, "src")) > statSync(built).mtimeMs + 1000) console.warn("warning: src/ is newer than dist/main.js — run `npm run build` so the benchmarks measure the current code");
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.list) {
    console.log(usage());
    return 0;
  }
  const outDir = resolve(ROOT, options.out || (options.quick ? "bench/.cache/results-quick" : "bench/results"));
  const selected = options.names.length > 0 ? BENCHMARKS.filter((b) => options.names.includes(b.name)) : BENCHMARKS;

  if (options.markdown) {
    for (const bench of selected) {
      const file = join(outDir, `${bench.name}.json`);
      if (!existsSync(file)) continue;
      const result = JSON.parse(readFileSync(file, "utf8"));
      console.log(`### ${bench.name}\n\n${result.metric}\n\n${markdownTable(result)}\n`);
    }
    return 0;
  }

  warnIfDistStale();
  mkdirSync(outDir, { recursive: true });
  const cacheDir = join(ROOT, "bench", ".cache");
  mkdirSync(cacheDir, { recursive: true });
  const tmpBase = options.tmp ? resolve(options.tmp) : tmpdir();
  if (!existsSync(tmpBase)) throw new Error(`--tmp ${tmpBase} does not exist`);
  const sessionDir = mkdtempSync(join(tmpBase, "agent-race-bench-"));
  const tmpFs = await output("stat", ["-f", "-c", "%T", tmpBase]);
  const gitVersion = (await output("git", ["--version"])).replace(/^git version /, "");
  const failures = [];
  try {
    for (const bench of selected) {
      const program = programOf(bench);
      const rawFile = join(sessionDir, `${bench.name}.raw.json`);
      rmSync(rawFile, { force: true });
      const benchTmp = mkdtempSync(join(sessionDir, `${bench.name}-`));
      const env = {
        ...process.env,
        ...isolatedGitEnv(sessionDir),
        AGENT_RACE_WORKTREE_DIR: join(benchTmp, "worktrees"),
        BENCH_OUT: rawFile,
        BENCH_NAME: bench.name,
        BENCH_QUICK: options.quick ? "1" : "",
        BENCH_RUNS: String(options.runs || (options.quick ? 2 : 3)),
        BENCH_CACHE: cacheDir,
        BENCH_TMP: benchTmp,
        // Everything a benchmark puts in the temp dir (harness dirs, the tests' setup home) goes with benchTmp.
        TMPDIR: benchTmp,
      };
      const timeoutMs = (options.quick ? 3 : bench.fullMinutes) * 60_000;
      console.log(`\n== ${bench.name}${options.quick ? " (quick)" : ""}: ${bench.summary}  [${relative(ROOT, join(ROOT, program.file))}]`);
      const startedAt = new Date();
      const loadBefore = loadavg()[0] ?? 0;
      const exit = /** @type {{ code: number | null, signal: string | null, timedOut: boolean }} */ (await runProgram(program.argv, env, timeoutMs));
      const durationMs = Date.now() - startedAt.getTime();
      rmSync(benchTmp, { recursive: true, force: true, maxRetries: 3 });
      if (exit.code !== 0 || !existsSync(rawFile)) {
        const why = exit.timedOut ? `timed out after ${timeoutMs / 60_000} min` : `exited with ${exit.code ?? exit.signal}`;
        console.error(`!! ${bench.name} failed: ${why}${existsSync(rawFile) ? "" : ", no result"}`);
        failures.push(bench.name);
        continue;
      }
      const raw = JSON.parse(readFileSync(rawFile, "utf8"));
      const result = buildResult({ ...raw, name: bench.name }, { quick: options.quick, machine: { ...machine(gitVersion), tmp_dir: tmpBase, tmp_fs: tmpFs }, startedAt, durationMs, loadBefore });
      const outFile = join(outDir, `${bench.name}.json`);
      writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`\n${resultTable(result)}\n  → ${relative(process.cwd(), outFile)} (${(durationMs / 1000).toFixed(1)} s)`);
    }
  } finally {
    rmSync(sessionDir, { recursive: true, force: true, maxRetries: 3 });
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} benchmark(s) failed: ${failures.join(", ")}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
