import { describe, expect, it } from "vitest";
import { evalScore } from "../../../src/evals/eval-score.js";
import type { EvalResult } from "../../../src/model/race-report.js";

function result(score: number, weight: number): EvalResult {
  return { name: "e", passed: score === 1, required: true, passed_count: 0, failed_count: 0, score, weight, duration_ms: 1, note: null };
}

describe("evalScore", () => {
  it.each([
    { name: "no evals", results: [], expected: 1 },
    { name: "one eval", results: [result(0.5, 1)], expected: 0.5 },
    { name: "equal weights", results: [result(1, 1), result(0, 1)], expected: 0.5 },
    { name: "weighted", results: [result(1, 3), result(0, 1)], expected: 0.75 },
    { name: "zero-weight eval ignored", results: [result(0, 0), result(0.8, 2)], expected: 0.8 },
    { name: "all weights zero", results: [result(0, 0), result(0, 0)], expected: 1 },
  ])("$name", ({ results, expected }) => {
    expect(evalScore(results)).toBeCloseTo(expected, 10);
  });
});
