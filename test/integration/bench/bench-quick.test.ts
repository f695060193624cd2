import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The benchmark harness itself, in its quick mode (small repo, short sleeps, 200 open PRs, 2 runs): `npm run
// bench -- --quick provision race-local overlap` must finish in CI time and write results in the documented shape.
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const RUNNER = join(ROOT, "bench", "run.mjs");

let out: string;
let run: { exitCode: number | undefined; stdout: string; stderr: string; ms: number };

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "agent-race-bench-quick-"));
  const started = Date.now();
  const result = await execa(process.execPath, [RUNNER, "provision", "race-local", "overlap", "--quick", "--runs", "2", "--out", out], {
    cwd: ROOT, reject: false, timeout: 110_000,
  });
  run = { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), ms: Date.now() - started };
}, 120_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const read = async (name: string) => JSON.parse(await readFile(join(out, `${name}.json`), "utf8")) as Record<string, unknown>;

/** The shape every result file has (bench/lib/result.mjs). */
function expectResultShape(result: Record<string, unknown>, name: string): void {
  expect(result).toMatchObject({ name, quick: true, unit: expect.any(String), metric: expect.any(String) });
  expect(Object.keys(result).slice(0, 9)).toEqual(["name", "params", "runs", "median", "min", "max", "baseline", "ratio", "unit"]);
  const runs = result.runs as Array<{ value: number }>;
  expect(runs).toHaveLength(2);
  for (const r of runs) expect(r.value).toBeGreaterThan(0);
  const values = runs.map((r) => r.value);
  expect(result.min).toBe(Math.min(...values));
  expect(result.max).toBe(Math.max(...values));
  expect(result.median).toBeCloseTo((values[0]! + values[1]!) / 2, 2);
  const baseline = result.baseline as { description: string; runs: Array<{ value: number }>; median: number; min: number; max: number };
  expect(baseline.description).toEqual(expect.any(String));
  expect(baseline.runs).toHaveLength(2);
  expect(baseline.min).toBeLessThanOrEqual(baseline.median);
  expect(baseline.median).toBeLessThanOrEqual(baseline.max);
  expect(result.ratio).toBeCloseTo((result.median as number) / baseline.median, 2);
  for (const goal of result.goals as Array<{ text: string; value: string; met: boolean }>) {
    expect(goal).toEqual({ text: expect.any(String), value: expect.any(String), met: expect.any(Boolean) });
  }
  expect(result.machine).toMatchObject({ cpus: expect.any(Number), node: process.version });
}

describe("npm run bench -- --quick", () => {
  it("runs provision, race-local and overlap and prints their tables", () => {
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/== provision \(quick\): .*\n.*case\s+median\s+min\s+max\s+baseline median\s+ratio\s+runs/);
    expect(run.stdout).toMatch(/== race-local \(quick\)/);
    expect(run.stdout).toMatch(/== overlap \(quick\): .*\n.*case\s+median/);
  });

  it("writes provision.json with time, CPU and disk cases for each lane count", async () => {
    const result = await read("provision");
    expectResultShape(result, "provision");
    const labels = (result.cases as Array<{ label: string; median: number; baseline: { median: number } }>).map((c) => c.label);
    expect(labels).toEqual(expect.arrayContaining(["N=1 agent-race (createLaneCheckout)", "N=4 naive git clone", "N=4 disk, agent-race", "N=4 CPU, agent-race"]));
    for (const c of result.cases as Array<{ median: number; baseline: { median: number } }>) {
      expect(c.median).toBeGreaterThan(0);
      expect(c.baseline.median).toBeGreaterThan(0);
    }
  });

  it("writes race-local.json where the race takes at least its slowest lane", async () => {
    const result = await read("race-local");
    expectResultShape(result, "race-local");
    expect(result.ratio).toBeGreaterThanOrEqual(1);
    expect((result.params as { lanes: number[] }).lanes).toEqual([3, 8]);
  });

  it("writes overlap.json: batched fetch within its request targets, far below the naive REST bot", async () => {
    const result = await read("overlap");
    expect(result).toMatchObject({ name: "overlap", quick: true, unit: "requests", ratio_mode: "baseline/value", params: { open_prs: 200 } });
    expect((result.params as { prs_over_100_files: number }).prs_over_100_files).toBeGreaterThan(0);
    type Case = { label: string; unit: string; median: number; max: number; ratio: number; runs: unknown[]; baseline: { median: number; runs: unknown[] } };
    const cases = new Map((result.cases as Case[]).map((c) => [c.label, c]));
    expect([...cases.keys()]).toEqual(["cold: API requests", "cold: wall time", "warm: API requests", "warm: wall time", "2 heads moved: API requests", "2 heads moved: wall time"]);
    for (const c of cases.values()) {
      expect(c.runs).toHaveLength(2);
      expect(c.baseline.runs).toHaveLength(2);
      expect(c.ratio).toBeCloseTo(c.baseline.median / c.median, 2);
    }
    // 200 PRs: 2 listing pages + 1 batched query for the PRs past 100 files; the naive bot: 2 + 200 + one per extra page.
    expect(cases.get("cold: API requests")?.max).toBe(3);
    expect(cases.get("warm: API requests")?.max).toBe(1);
    expect(cases.get("cold: API requests")?.baseline.median).toBeGreaterThan(202);
    expect(cases.get("cold: wall time")?.unit).toBe("ms");
    expect(result.goals).toEqual([
      { text: expect.stringContaining("≤ 20 API requests cold"), value: "3 (max of 2)", met: true },
      { text: expect.stringContaining("≤ 2 API requests warm"), value: "1 (max of 2)", met: true },
    ]);
  });

  it("writes one file per benchmark and finishes in CI time", async () => {
    expect((await readdir(out)).sort()).toEqual(["overlap.json", "provision.json", "race-local.json"]);
    // Well under a minute on an idle 2-core machine; the bound leaves room for a busy CI host.
    expect(run.ms).toBeLessThan(110_000);
  });
});
