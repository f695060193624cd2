#!/usr/bin/env node
// @ts-check
// provision: time and disk to get N lanes ready from a warm mirror of a large repository.
//   agent-race  the project's own `createLaneCheckout` (dist/git/lane-checkout.js) on the `ensureMirror` mirror
//   floor       raw `git worktree add -b` on the same mirror (hooks off too, so the comparison is fair)
//   naive       N fresh `git clone`s of the origin over file:// (the transport a remote clone uses)
// The N lanes of one measurement are created concurrently, as a race creates its lanes.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createLaneCheckout } from "../dist/git/lane-checkout.js";
import { ensureMirror } from "../dist/git/mirror-cache.js";
import { benchEnv, log, writeRaw } from "./lib/bench-env.mjs";
import { apparentBytes, cpuSeconds, duBytes, git } from "./lib/proc.mjs";
import { median, round } from "./lib/stats.mjs";
import { ensureSyntheticRepo, SYNTHETIC } from "./lib/synthetic-repo.mjs";

const { quick, runs } = benchEnv;
const params = quick ? SYNTHETIC.quick : SYNTHETIC.full;
const LANES = quick ? [1, 4] : [1, 4, 8];
const APPROACHES = /** @type {const} */ (["floor", "agent-race", "naive"]);
const NO_HOOKS = ["-c", "core.hooksPath=/dev/null"];
const MB = 1e6;

const repo = await ensureSyntheticRepo(benchEnv.cacheDir, params, log);
const originUrl = pathToFileURL(repo.origin).href;
const mirrorCache = join(benchEnv.cacheDir, "provision-mirrors");
const mirrorName = `synthetic-${repo.head.slice(0, 10)}`;

// Warm the mirror once (a cold first clone is not what this benchmark measures), through the project's code.
let started = performance.now();
const mirror = await ensureMirror({ cacheDir: mirrorCache, owner: "bench", repo: mirrorName, cloneUrl: originUrl, wantShas: [repo.head] });
log(`mirror ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${mirror}`);
await cleanMirror();

/** @type {Record<string, Record<number, Array<{ value: number, cpu_s: number, disk_mb: number, apparent_mb: number, failed: number }>>>} */
const measured = { floor: {}, "agent-race": {}, naive: {} };
/** @type {number[]} */
const warmFetchMs = [];
/** @type {string[]} */
const failures = [];
const work = await mkdtemp(join(benchEnv.tmpDir, "provision-"));
try {
  for (let run = 1; run <= runs; run++) {
    // A warm mirror still fetches at the start of every GitHub lane: measured on its own.
    started = performance.now();
    await ensureMirror({ cacheDir: mirrorCache, owner: "bench", repo: mirrorName, cloneUrl: originUrl, wantShas: [repo.head] });
    warmFetchMs.push(performance.now() - started);
    for (const n of LANES) {
      // Rotate the order so a busy moment of the (shared) machine does not always hit the same approach.
      const order = APPROACHES.map((_, i) => APPROACHES[(i + run + n) % APPROACHES.length] ?? "floor");
      for (const approach of order) {
        const sample = await measure(approach, n, run);
        ((measured[approach] ??= {})[n] ??= []).push(sample);
        log(`run ${run}/${runs} N=${n} ${approach.padEnd(10)} ${sample.value.toFixed(2)} s wall, ${sample.cpu_s.toFixed(2)} s CPU, ${sample.disk_mb.toFixed(0)} MB on disk`);
      }
    }
  }
} finally {
  await rm(work, { recursive: true, force: true, maxRetries: 3 });
  await cleanMirror().catch(() => undefined);
}

/**
 * Creates `n` lanes with `approach` concurrently; returns the wall time and the disk they added.
 * @param {typeof APPROACHES[number]} approach
 * @param {number} n
 * @param {number} run
 */
async function measure(approach, n, run) {
  const dir = await mkdtemp(join(work, `${approach}-`));
  const lanes = Array.from({ length: n }, (_, i) => ({ path: join(dir, `lane-${i + 1}`), branch: `bench/${approach}-${run}-${n}/${i + 1}` }));
  const metaBefore = approach === "naive" ? 0 : await duBytes(join(mirror, "worktrees")).catch(() => 0);
  try {
    const cpu0 = cpuSeconds();
    const t0 = performance.now();
    const settled = await Promise.allSettled(lanes.map((lane) => {
      if (approach === "agent-race") return createLaneCheckout({ repoDir: mirror, dir: lane.path, branch: lane.branch, baseSha: repo.head });
      if (approach === "floor") return git([...NO_HOOKS, "worktree", "add", "--quiet", "-b", lane.branch, lane.path, repo.head], mirror);
      return git(["clone", "--quiet", originUrl, lane.path], dir);
    }));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds() - cpu0;
    // Concurrent `git worktree add`s can trip over each other's half-written metadata ("failed to read
    // .git/worktrees/<x>/commondir"): counted and reported, not hidden.
    const failed = settled.flatMap((r) => (r.status === "rejected" ? [/fatal:.*/.exec(String(r.reason?.message ?? r.reason))?.[0] ?? String(r.reason).slice(0, 200)] : []));
    for (const reason of failed) failures.push(`run ${run} N=${n} ${approach}: ${reason}`);
    // Disk the lanes added: their directories, plus (for `git worktree add`) their index and metadata in the mirror.
    const paths = lanes.map((l) => l.path).filter((p) => existsSync(p));
    const meta = approach === "naive" ? 0 : Math.max(0, (await duBytes(join(mirror, "worktrees")).catch(() => 0)) - metaBefore);
    const disk = (await duBytes(paths)) + meta;
    const apparent = (await apparentBytes(paths)) + meta;
    return { value: round(seconds), cpu_s: round(cpu, 2), disk_mb: round(disk / MB, 1), apparent_mb: round(apparent / MB, 1), failed: failed.length };
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    if (approach !== "naive") await cleanMirror();
  }
}

/** Forgets removed worktrees and deletes the benchmark's branches from the mirror. */
async function cleanMirror() {
  await git(["worktree", "prune"], mirror);
  const refs = (await git(["for-each-ref", "--format=%(refname)", "refs/heads/bench/"], mirror)).split("\n").filter(Boolean);
  for (const ref of refs) await git(["update-ref", "-d", ref], mirror);
}

// ---- result -----------------------------------------------------------------------------------
const series = (/** @type {string} */ approach, /** @type {number} */ n) => measured[approach]?.[n] ?? [];
const med = (/** @type {string} */ approach, /** @type {number} */ n, key = "value") => median(series(approach, n).map((s) => /** @type {any} */ (s)[key]));
const diskRuns = (/** @type {string} */ approach, /** @type {number} */ n) => series(approach, n).map((s) => ({ value: s.disk_mb, apparent_mb: s.apparent_mb }));
const cpuRuns = (/** @type {string} */ approach, /** @type {number} */ n) => series(approach, n).map((s) => ({ value: s.cpu_s }));
const top = Math.max(...LANES);

const cases = LANES.flatMap((n) => [
  { label: `N=${n} agent-race (createLaneCheckout)`, unit: "s", params: { lanes: n }, runs: series("agent-race", n), baseline: { description: "raw git worktree add (floor)", runs: series("floor", n) } },
  { label: `N=${n} naive git clone`, unit: "s", params: { lanes: n }, runs: series("naive", n), baseline: { description: "agent-race createLaneCheckout", runs: series("agent-race", n) } },
  { label: `N=${n} CPU, agent-race`, unit: "CPU s", params: { lanes: n }, runs: cpuRuns("agent-race", n), baseline: { description: "CPU of the raw git floor", runs: cpuRuns("floor", n) } },
  { label: `N=${n} CPU, naive git clone`, unit: "CPU s", params: { lanes: n }, runs: cpuRuns("naive", n), baseline: { description: "CPU of agent-race", runs: cpuRuns("agent-race", n) } },
  { label: `N=${n} disk, agent-race`, unit: "MB", params: { lanes: n }, runs: diskRuns("agent-race", n), baseline: { description: "disk of N clones (naive)", runs: diskRuns("naive", n) } },
]);

const worstFloorRatio = Math.max(...LANES.map((n) => med("agent-race", n) / med("floor", n)));
const naiveSpeedup = med("naive", top) / med("agent-race", top);
const worstCpuRatio = Math.max(...LANES.map((n) => med("agent-race", n, "cpu_s") / med("floor", n, "cpu_s")));
const naiveCpuRatio = med("naive", top, "cpu_s") / med("agent-race", top, "cpu_s");
const diskFraction = med("agent-race", top, "disk_mb") / med("naive", top, "disk_mb");
const apparentFraction = med("agent-race", top, "apparent_mb") / med("naive", top, "apparent_mb");

writeRaw({
  name: "provision",
  metric: `seconds until N lanes are checked out and ready (mirror warm); headline: N=${top} through createLaneCheckout vs the raw git floor`,
  unit: "s",
  params: {
    lanes: LANES, runs, quick,
    repo: { files: repo.files, commits: repo.commits, history_mb: round(repo.history_bytes / MB, 1), generated_s: round(repo.generated_ms / 1000, 1), generator: params },
    naive: "git clone file://<origin> (full clone + checkout)",
  },
  runs: series("agent-race", top),
  baseline: { description: "raw git worktree add (floor)", runs: series("floor", top) },
  cases,
  goals: [
    { text: "agent-race ≤ 1.2× the raw git worktree floor (worst N, wall time)", value: `${round(worstFloorRatio, 2)}× (CPU time: ${round(worstCpuRatio, 2)}×)`, met: worstFloorRatio <= 1.2 },
    { text: `≥ 10× faster than N naive clones at N=${top} (wall time)`, value: `${round(naiveSpeedup, 1)}× (CPU time: ${round(naiveCpuRatio, 1)}×)`, met: naiveSpeedup >= 10 },
    { text: `≤ 1/5 of the naive disk at N=${top} (allocated blocks)`, value: `${round(diskFraction, 2)} (apparent size: ${round(apparentFraction, 2)})`, met: diskFraction <= 0.2 },
  ],
  details: {
    warm_mirror_fetch_ms: { median: round(median(warmFetchMs), 0), runs: warmFetchMs.map((v) => round(v, 0)) },
    medians: Object.fromEntries(LANES.map((n) => [`N=${n}`, Object.fromEntries(APPROACHES.map((a) => [a, { s: med(a, n), cpu_s: med(a, n, "cpu_s"), disk_mb: med(a, n, "disk_mb"), apparent_mb: med(a, n, "apparent_mb") }]))])),
  },
  notes: [
    ...failures.map((f) => `lane failed: ${f}`),
    "CPU cases: this process plus all its git descendants (/proc/self/stat). On a shared VM both wall and CPU time vary with other load (machine.load_average_*) and with the file system under machine.tmp_dir.",
    "A GitHub lane also runs a warm mirror fetch (ensureMirror) before its worktree; details.warm_mirror_fetch_ms is that cost, serialized per repository by the mirror lock.",
    ...(quick ? ["quick mode: a small repository; the goals are meant for the full run"] : []),
  ],
});
