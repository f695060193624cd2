import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJunit } from "../../../src/evals/parse-junit.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/evals/${name}`, import.meta.url), "utf8");

describe("parseJunit", () => {
  it.each([
    { name: "jest-junit (suite attributes lie)", xml: fixture("junit-jest.xml"), expected: { passed: 3, failed: 1, skipped: 1 } },
    { name: "pytest (error, xfail, system-out)", xml: fixture("junit-pytest.xml"), expected: { passed: 2, failed: 2, skipped: 2 } },
    { name: "vitest junit reporter", xml: fixture("junit-vitest.xml"), expected: { passed: 3, failed: 1, skipped: 1 } },
    { name: "maven surefire (bare testsuite, CDATA, flakyFailure)", xml: fixture("junit-surefire.xml"), expected: { passed: 2, failed: 2, skipped: 1 } },
    {
      name: "nested suites",
      xml: `<testsuites><testsuite name="a"><testsuite name="b"><testcase name="1"/><testsuite name="c"><testcase name="2"><failure/></testcase></testsuite></testsuite><testcase name="3"/></testsuite></testsuites>`,
      expected: { passed: 2, failed: 1, skipped: 0 },
    },
    { name: "bare testsuite with one testcase", xml: `<testsuite><testcase name="x"/></testsuite>`, expected: { passed: 1, failed: 0, skipped: 0 } },
    { name: "empty testsuites", xml: `<?xml version="1.0"?>\n<testsuites name="jest tests" tests="0">\n</testsuites>`, expected: { passed: 0, failed: 0, skipped: 0 } },
    { name: "empty self-closing testsuite", xml: `<testsuites><testsuite/><testsuite></testsuite></testsuites>`, expected: { passed: 0, failed: 0, skipped: 0 } },
    { name: "failure and skipped on one testcase counts as failed", xml: `<testsuite><testcase><skipped/><error>x</error></testcase></testsuite>`, expected: { passed: 0, failed: 1, skipped: 0 } },
  ])("counts testcases: $name", ({ xml, expected }) => {
    expect(parseJunit(xml)).toEqual(expected);
  });

  it.each([
    { name: "truncated report", xml: `<testsuites><testsuite><testcase name="x">`, message: /invalid JUnit XML at line 1/ },
    { name: "mismatched tags", xml: `<testsuite><testcase></testsuite>`, message: /invalid JUnit XML/ },
    { name: "not XML", xml: "PASS src/range.test.ts", message: /invalid JUnit XML/ },
    { name: "empty file", xml: " \n", message: /the JUnit report is empty/ },
    { name: "another XML document", xml: `<?xml version="1.0"?><project><name>x</name></project>`, message: /no <testsuites> or <testsuite>/ },
  ])("throws on $name", ({ xml, message }) => {
    expect(() => parseJunit(xml)).toThrow(message);
  });
});
