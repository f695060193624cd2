// @ts-check
// What the runner (bench/run.mjs) passes to a benchmark program, and how the program hands back its result.
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export const benchEnv = {
  quick: process.env.BENCH_QUICK === "1",
  runs: Math.max(1, Number(process.env.BENCH_RUNS) || (process.env.BENCH_QUICK === "1" ? 2 : 3)),
  cacheDir: process.env.BENCH_CACHE || join(ROOT, "bench", ".cache"),
  tmpDir: process.env.BENCH_TMP || tmpdir(),
  out: process.env.BENCH_OUT || "",
};

const started = Date.now();
/** Progress lines on stderr, with the time since the program started. */
export function log(/** @type {string} */ line) {
  process.stderr.write(`  [${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

/** Hands the raw result to the runner (or prints it when run by hand). */
export function writeRaw(/** @type {object} */ raw) {
  const text = `${JSON.stringify(raw, null, 2)}\n`;
  if (!benchEnv.out) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(benchEnv.out), { recursive: true });
  writeFileSync(benchEnv.out, text);
}
