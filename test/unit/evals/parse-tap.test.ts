import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTap } from "../../../src/evals/parse-tap.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/evals/${name}`, import.meta.url), "utf8");

describe("parseTap", () => {
  it.each([
    { name: "node:test output (subtests, YAML, SKIP, TODO)", text: fixture("tap-node-test.tap"), expected: { passed: 1, failed: 1, skipped: 2 } },
    { name: "bail out: the failure and the unrun planned tests", text: fixture("tap-bail-out.tap"), expected: { passed: 2, failed: 4, skipped: 0 } },
    { name: "all ok with plan first", text: "1..3\nok 1\nok 2 - two\nok 3 three\n", expected: { passed: 3, failed: 0, skipped: 0 } },
    { name: "plan last, no numbers", text: "ok\nnot ok\nok\n1..3\n", expected: { passed: 2, failed: 1, skipped: 0 } },
    { name: "plan promises more than seen", text: "1..5\nok 1\nok 2\n", expected: { passed: 2, failed: 3, skipped: 0 } },
    { name: "no plan", text: "ok 1\nnot ok 2\n", expected: { passed: 1, failed: 1, skipped: 0 } },
    { name: "bail out without a plan", text: "ok 1\nBail out!\n", expected: { passed: 1, failed: 1, skipped: 0 } },
    { name: "lines after bail out are ignored", text: "1..2\nok 1\nBail out! reason\nok 2\n", expected: { passed: 1, failed: 1, skipped: 0 } },
    { name: "skip variants", text: "ok 1 # skip\nnot ok 2 - x # SKIPPED: no db\nok 3 #Skip later\n", expected: { passed: 0, failed: 0, skipped: 3 } },
    { name: "todo: not ok is not a failure, ok passes", text: "not ok 1 - later # TODO write it\nok 2 # todo done early\n", expected: { passed: 1, failed: 0, skipped: 1 } },
    { name: "escaped hash is not a directive", text: "not ok 1 - issue \\# SKIP 42\n", expected: { passed: 0, failed: 1, skipped: 0 } },
    { name: "other comments are not directives", text: "ok 1 - retry # slow on CI\nnot ok 2 # see issue 12\n", expected: { passed: 1, failed: 1, skipped: 0 } },
    { name: "CRLF line endings", text: "1..2\r\nok 1\r\nnot ok 2\r\n", expected: { passed: 1, failed: 1, skipped: 0 } },
    { name: "indented subtest results ignored", text: "    not ok 1 - inner\n    1..1\nok 1 - outer\n1..1\n", expected: { passed: 1, failed: 0, skipped: 0 } },
    { name: "skip all", text: "1..0 # SKIP no tests on this platform\n", expected: { passed: 0, failed: 0, skipped: 0 } },
    { name: "okay is not a test line", text: "okay then\nnot okay\n", expected: { passed: 0, failed: 0, skipped: 0 } },
    { name: "empty output", text: "", expected: { passed: 0, failed: 0, skipped: 0 } },
  ])("$name", ({ text, expected }) => {
    expect(parseTap(text)).toEqual(expected);
  });
});
