import { describe, expect, it } from "vitest";
import { evalSpecSchema } from "../../../src/config/repo-config.js";
import { judgeEval } from "../../../src/evals/judge-eval.js";
import type { ProcessResult } from "../../../src/process/run-process.js";

const spec = (format: string, extra: Record<string, unknown> = {}) => evalSpecSchema.parse({ name: "e", run: "true", format, timeout: "1500ms", ...extra });
const ran = (fields: Partial<ProcessResult> = {}): ProcessResult => ({
  exitCode: 0,
  signal: null,
  timedOut: false,
  aborted: false,
  spawnError: null,
  durationMs: 5,
  stdout: "",
  stderr: "",
  limit: null,
  sandboxNotes: [],
  outputTruncated: false,
  ...fields,
});
const junit = (cases: string) => `<testsuite>${cases}</testsuite>`;

describe("judgeEval", () => {
  it.each([
    { name: "exit-code pass", spec: spec("exit-code"), result: ran(), report: null, expected: { passed: true, passed_count: 1, failed_count: 0, score: 1, note: null } },
    { name: "exit-code fail", spec: spec("exit-code"), result: ran({ exitCode: 2 }), report: null, expected: { passed: false, passed_count: 0, failed_count: 1, score: 0, note: "exited with code 2" } },
    { name: "killed by a signal", spec: spec("exit-code"), result: ran({ exitCode: null, signal: "SIGKILL" }), report: null, expected: { passed: false, passed_count: 0, failed_count: 1, score: 0, note: "killed by SIGKILL" } },
    { name: "timeout", spec: spec("tap"), result: ran({ exitCode: null, signal: "SIGTERM", timedOut: true }), report: null, expected: { passed: false, passed_count: 0, failed_count: 0, score: 0, note: "timed out after 1.5s" } },
    { name: "spawn error", spec: spec("exit-code"), result: ran({ exitCode: null, spawnError: "ENOENT" }), report: null, expected: { passed: false, passed_count: 0, failed_count: 1, score: 0, note: "could not start: ENOENT" } },
    { name: "junit all pass", spec: spec("junit:r.xml"), result: ran(), report: junit("<testcase/><testcase/><testcase><skipped/></testcase>"), expected: { passed: true, passed_count: 2, failed_count: 0, score: 1, note: null } },
    { name: "junit failures", spec: spec("junit:r.xml"), result: ran({ exitCode: 1 }), report: junit("<testcase/><testcase><failure/></testcase>"), expected: { passed: false, passed_count: 1, failed_count: 1, score: 0.5, note: null } },
    { name: "junit clean but non-zero exit", spec: spec("junit:r.xml"), result: ran({ exitCode: 1 }), report: junit("<testcase/>"), expected: { passed: false, passed_count: 1, failed_count: 0, score: 1, note: "exited with code 1" } },
    { name: "junit no tests", spec: spec("junit:r.xml"), result: ran(), report: "<testsuites/>", expected: { passed: true, passed_count: 0, failed_count: 0, score: 0, note: "no tests ran" } },
    { name: "junit missing report", spec: spec("junit:r.xml"), result: ran({ exitCode: 1 }), report: new Error("no JUnit report at r.xml"), expected: { passed: false, passed_count: 0, failed_count: 0, score: 0, note: "no JUnit report at r.xml; exited with code 1" } },
    { name: "junit invalid report", spec: spec("junit:r.xml"), result: ran(), report: "<testsuite>", expected: { passed: false, passed_count: 0, failed_count: 0, score: 0, note: expect.stringMatching(/^bad JUnit report r\.xml: invalid JUnit XML/) } },
    { name: "tap", spec: spec("tap"), result: ran({ exitCode: 1, stdout: "1..4\nok 1\nok 2\nok 3\nnot ok 4\n" }), report: null, expected: { passed: false, passed_count: 3, failed_count: 1, score: 0.75, note: null } },
    { name: "json above min", spec: spec("json", { min_score: 0.5 }), result: ran({ stdout: '{"score":0.6,"passed":6,"failed":4}\n' }), report: null, expected: { passed: true, passed_count: 6, failed_count: 4, score: 0.6, note: null } },
    { name: "json below min", spec: spec("json", { min_score: 0.5 }), result: ran({ stdout: '{"score":0.4,"passed":4,"failed":6}\n' }), report: null, expected: { passed: false, passed_count: 4, failed_count: 6, score: 0.4, note: "score 0.4 is below min_score 0.5" } },
    { name: "json non-zero exit", spec: spec("json"), result: ran({ exitCode: 3, stdout: '{"score":1,"passed":1,"failed":0}\n' }), report: null, expected: { passed: false, passed_count: 1, failed_count: 0, score: 1, note: "exited with code 3" } },
    { name: "json malformed", spec: spec("json"), result: ran({ stdout: "oops\n" }), report: null, expected: { passed: false, passed_count: 0, failed_count: 0, score: 0, note: "last line of output is not JSON: oops" } },
  ])("$name", ({ spec, result, report, expected }) => {
    expect(judgeEval(spec, result, report)).toEqual(expected);
  });
});
