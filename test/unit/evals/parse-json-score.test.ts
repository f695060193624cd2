import { describe, expect, it } from "vitest";
import { parseJsonScore } from "../../../src/evals/parse-json-score.js";

describe("parseJsonScore", () => {
  it.each([
    { name: "one line", stdout: '{"score":0.75,"passed":3,"failed":1}\n', expected: { score: 0.75, passed: 3, failed: 1 } },
    { name: "logs before, blank lines after", stdout: 'building...\nscoring\n{"score":1,"passed":10,"failed":0}\n\n  \n', expected: { score: 1, passed: 10, failed: 0 } },
    { name: "extra keys allowed", stdout: '{"score":0,"passed":0,"failed":4,"details":{"slow":2}}', expected: { score: 0, passed: 0, failed: 4 } },
    { name: "CRLF", stdout: '{"score":0.5,"passed":1,"failed":1}\r\n', expected: { score: 0.5, passed: 1, failed: 1 } },
  ])("reads $name", ({ stdout, expected }) => {
    expect(parseJsonScore(stdout)).toEqual(expected);
  });

  it.each([
    { name: "empty output", stdout: "\n \n", message: /no output/ },
    { name: "last line not JSON", stdout: '{"score":1,"passed":1,"failed":0}\nDone.\n', message: /last line of output is not JSON: Done\./ },
    { name: "score above 1", stdout: '{"score":1.5,"passed":1,"failed":0}', message: /score: .*<=1/ },
    { name: "negative passed", stdout: '{"score":0.5,"passed":-1,"failed":0}', message: /passed: / },
    { name: "fractional failed", stdout: '{"score":0.5,"passed":1,"failed":0.5}', message: /failed: / },
    { name: "missing score", stdout: '{"passed":1,"failed":0}', message: /score: / },
    { name: "score as a string", stdout: '{"score":"0.5","passed":1,"failed":0}', message: /score: .*number/ },
    { name: "JSON that is not an object", stdout: "[1,2]", message: /not a valid score/ },
  ])("throws on $name", ({ stdout, message }) => {
    expect(() => parseJsonScore(stdout)).toThrow(message);
  });
});
