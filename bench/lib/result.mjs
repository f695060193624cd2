// @ts-check
// Turns what a benchmark program measured ("raw") into the result file and the printed table.
//
// Raw shape (written by every benchmark program as JSON to $BENCH_OUT):
//   { name, params, unit, metric, ratio_mode?, baseline: { description, runs: [{ value, … }] },
//     runs: [{ value, … }], cases?: [{ label, params, runs, baseline, ratio_mode? }],
//     goals?: [{ text, value, met }], details?: { …anything… }, notes?: [string] }
// Result shape (bench/results/<name>.json): the raw fields plus median/min/max on the top level, on
// the baseline and on every case, and `ratio` (median ÷ baseline median, or the reverse when
// ratio_mode is "baseline/value", e.g. a speedup).
import { cpus, loadavg, totalmem } from "node:os";
import { median, round } from "./stats.mjs";

/**
 * @param {{ runs?: Array<{ value: number }> }} series
 */
function stats(series) {
  const values = (series.runs ?? []).map((r) => r.value).filter((v) => typeof v === "number" && Number.isFinite(v));
  return { median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)) };
}

/**
 * Adds median/min/max/ratio to a series (top level or case) and to its baseline.
 * @param {any} series
 */
function summarize(series) {
  const own = stats(series);
  const baseline = series.baseline ? { ...series.baseline, ...stats(series.baseline) } : null;
  let ratio = null;
  if (baseline && Number.isFinite(baseline.median) && Number.isFinite(own.median) && baseline.median !== 0 && own.median !== 0) {
    ratio = round(series.ratio_mode === "baseline/value" ? baseline.median / own.median : own.median / baseline.median);
  }
  return { ...series, ...own, baseline, ratio };
}

/** Machine facts recorded with every result (the load average tells whether the machine was shared). */
export function machine(gitVersion = "") {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? "unknown",
    memory_gb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    git: gitVersion,
    platform: `${process.platform} ${process.arch}`,
    load_average_1m: round(loadavg()[0] ?? 0, 2),
  };
}

/**
 * The result object written to bench/results/<name>.json, in the issue's shape first.
 * @param {any} raw
 * @param {{ quick: boolean, machine: object, startedAt: Date, durationMs: number, loadBefore: number }} meta
 */
export function buildResult(raw, meta) {
  const top = summarize(raw);
  const cases = Array.isArray(raw.cases) ? raw.cases.map(summarize) : undefined;
  return {
    name: raw.name,
    params: raw.params,
    runs: raw.runs,
    median: top.median,
    min: top.min,
    max: top.max,
    baseline: top.baseline,
    ratio: top.ratio,
    unit: raw.unit,
    metric: raw.metric,
    ratio_mode: raw.ratio_mode ?? "value/baseline",
    ...(cases ? { cases } : {}),
    goals: raw.goals ?? [],
    ...(raw.details ? { details: raw.details } : {}),
    notes: raw.notes ?? [],
    quick: meta.quick,
    date: meta.startedAt.toISOString(),
    duration_s: round(meta.durationMs / 1000, 1),
    machine: { ...meta.machine, load_average_1m_before: round(meta.loadBefore, 2), load_average_1m_after: round(loadavg()[0] ?? 0, 2) },
  };
}

/** @param {number} n */
function fmt(n) {
  if (typeof n !== "number" || !Number.isFinite(n)) return "—";
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/**
 * Renders rows as an aligned text table.
 * @param {string[]} headers
 * @param {Array<Array<string | number>>} rows
 */
export function textTable(headers, rows) {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells.map((r) => r.map((c, i) => (c ?? "").padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n");
}

/** The table every benchmark prints: one row per case (or one for the whole benchmark), then the goals. */
export function resultTable(/** @type {any} */ result) {
  const rows = (result.cases ?? [result]).map((/** @type {any} */ c) => [
    c.label ?? result.name, `${fmt(c.median)} ${c.unit ?? result.unit}`, fmt(c.min), fmt(c.max), c.baseline ? `${fmt(c.baseline.median)} (${c.baseline.description ?? "baseline"})` : "—", c.ratio ?? "—", String((c.runs ?? []).length),
  ]);
  const table = textTable(["case", `median`, "min", "max", "baseline median", "ratio", "runs"], rows);
  const goals = (result.goals ?? []).map((/** @type {any} */ g) => `  ${g.met ? "MET    " : "NOT MET"}  ${g.text}  (measured: ${g.value})`);
  return [`== ${result.name}${result.quick ? " (quick)" : ""}: ${result.metric}`, table, ...(goals.length ? ["goals:", ...goals] : []), ...(result.notes ?? []).map((/** @type {string} */ n) => `  note: ${n}`)].join("\n");
}

/** Markdown version of `resultTable`, for docs/performance.md. */
export function markdownTable(/** @type {any} */ result) {
  const header = `| case | median | min | max | baseline (median) | ratio | runs |\n|---|---|---|---|---|---|---|`;
  const rows = (result.cases ?? [result]).map((/** @type {any} */ c) =>
    `| ${c.label ?? result.name} | ${fmt(c.median)} ${c.unit ?? result.unit} | ${fmt(c.min)} | ${fmt(c.max)} | ${c.baseline ? `${fmt(c.baseline.median)} ${c.unit ?? result.unit} — ${c.baseline.description}` : "—"} | ${c.ratio ?? "—"} | ${(c.runs ?? []).length} |`);
  const goals = (result.goals ?? []).map((/** @type {any} */ g) => `- ${g.met ? "✅ met" : "❌ not met"}: ${g.text} — measured ${g.value}`);
  return [header, ...rows, "", ...goals].join("\n");
}
