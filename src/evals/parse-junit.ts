import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import type { TestCounts } from "./test-counts.js";

interface Suite {
  testsuite?: Suite[] | undefined;
  testcase?: unknown[] | undefined;
}

/** An element parsed to "" (empty, no attributes kept) is an empty suite. */
const suiteSchema: z.ZodType<Suite> = z.preprocess(
  (value) => (typeof value === "object" && value !== null ? value : {}),
  z.looseObject({
    get testsuite() {
      return z.array(suiteSchema).optional();
    },
    testcase: z.array(z.unknown()).optional(),
  }),
);

const documentSchema = z.looseObject({
  testsuites: suiteSchema.optional(),
  testsuite: z.array(suiteSchema).optional(),
});

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: false,
  // Output, stack traces and messages are never read; do not parse what is inside them.
  stopNodes: ["*.failure", "*.error", "*.skipped", "*.system-out", "*.system-err", "*.properties"],
  isArray: (tagName) => tagName === "testsuite" || tagName === "testcase",
});

/**
 * Counts a JUnit XML report's testcases: `<failure>` or `<error>` is failed, `<skipped>` is skipped,
 * anything else passed. Suite attributes (`tests=`, `failures=`) are not trusted.
 * Surefire's `<flakyFailure>`/`<rerunFailure>` mean the test passed on a rerun.
 */
export function parseJunit(xml: string): TestCounts {
  if (xml.trim() === "") throw new Error("the JUnit report is empty");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw new Error(`invalid JUnit XML at line ${line}${col ? `, column ${col}` : ""}: ${msg}`);
  }
  const doc = documentSchema.safeParse(parser.parse(xml));
  if (!doc.success) throw new Error(`unexpected JUnit XML structure: ${z.prettifyError(doc.error)}`);
  const roots: Suite[] = doc.data.testsuites ? [doc.data.testsuites] : (doc.data.testsuite ?? []);
  if (roots.length === 0) throw new Error("not a JUnit report: no <testsuites> or <testsuite> root element");
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const root of roots) countSuite(root, counts);
  return counts;
}

function countSuite(suite: Suite, counts: TestCounts): void {
  for (const testcase of suite.testcase ?? []) {
    const has = (tag: string): boolean => typeof testcase === "object" && testcase !== null && tag in testcase;
    if (has("failure") || has("error")) counts.failed += 1;
    else if (has("skipped")) counts.skipped += 1;
    else counts.passed += 1;
  }
  for (const child of suite.testsuite ?? []) countSuite(child, counts);
}
