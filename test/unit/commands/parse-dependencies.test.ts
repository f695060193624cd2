import { describe, expect, it } from "vitest";
import { MAX_DEPENDENCIES, parseDependencies } from "../../../src/commands/parse-dependencies.js";

describe("parseDependencies", () => {
  it.each([
    ["depends on #12", [12]],
    ["Depends on #12.", [12]],
    ["DEPENDS ON #12", [12]],
    ["blocked by #7", [7]],
    ["Blocked By: #7", [7]],
    ["depends on #1, #2 and #3", [1, 2, 3]],
    ["depends on #1 & #2", [1, 2]],
    ["depends on #4\nblocked by #5\nalso depends on #4", [4, 5]],
    ["This depends   on   #8 for the schema.", [8]],
    ["- [ ] depends on #9", [9]],
    ["depends on #20 (the API change)", [20]],
  ])("%j → %j", (body, expected) => {
    expect(parseDependencies(body, 100)).toEqual(expected);
  });

  it.each([
    ["mentions #12 but depends on nothing", []],
    ["depends on the API in #12", []],
    ["dependson #12", []],
    ["depends on #", []],
    ["depends on 12", []],
    ["depends on other/repo#12", []],
    ["depends on #12abc", []],
    ["```\ndepends on #12\n```", []],
    ["~~~md\nblocked by #12\n~~~", []],
    ["    depends on #12", []],
    ["> depends on #12", []],
    ["<!-- depends on #12 -->", []],
    ["`depends on #12`", []],
    ["depends on #100", []],
    ["depends on #0", []],
  ])("%j declares nothing", (body, expected) => {
    expect(parseDependencies(body, 100)).toEqual(expected);
  });

  it("keeps prose after a closed fence and handles CRLF", () => {
    expect(parseDependencies("```\ndepends on #1\n```\r\nblocked by #2\r\n", 100)).toEqual([2]);
  });

  it(`honours at most ${MAX_DEPENDENCIES}`, () => {
    const body = Array.from({ length: 15 }, (_, i) => `depends on #${i + 1}`).join("\n");
    expect(parseDependencies(body, 100)).toHaveLength(MAX_DEPENDENCIES);
  });
});
