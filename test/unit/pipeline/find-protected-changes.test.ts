import { describe, expect, it } from "vitest";
import { findProtectedChanges } from "../../../src/pipeline/find-protected-changes.js";
import { pushRefusal } from "../../../src/pipeline/push-refusal.js";

describe("findProtectedChanges", () => {
  it.each([
    [[".github/workflows/ci.yml"], [], [".github/workflows/ci.yml"]],
    [[".github/workflows/nested/x.yaml", "src/a.ts"], [], [".github/workflows/nested/x.yaml"]],
    [[".github/dependabot.yml", "src/.github/workflows/x.yml", "README.md"], [], []],
    [["deploy/prod.tf", "src/a.ts", ".env.production"], ["deploy/**", ".env*"], ["deploy/prod.tf", ".env.production"]],
    [["CODEOWNERS", ".github/CODEOWNERS"], ["**/CODEOWNERS"], ["CODEOWNERS", ".github/CODEOWNERS"]],
    [[], ["**"], []],
  ])("%j with protected_paths %j → %j", (files, globs, expected) => {
    expect(findProtectedChanges(files, globs)).toEqual(expected);
  });

  it("keeps the default even when protected_paths is set", () => {
    expect(findProtectedChanges([".github/workflows/release.yml"], ["docs/**"])).toEqual([".github/workflows/release.yml"]);
  });
});

describe("pushRefusal", () => {
  it.each([
    ["passed", "abc", false, null],
    ["passed", null, false, "nothing to push"],
    ["failed", "abc", false, /did not pass \(failed\).*push_failed/],
    ["failed", "abc", true, null],
    ["error", "abc", true, null],
    ["timeout", "abc", false, /did not pass \(timeout\)/],
    ["protected", "abc", true, /protected paths/],
  ] as const)("%s (head %s, push_failed %s)", (status, head, pushFailed, expected) => {
    const refusal = pushRefusal({ status, head }, pushFailed);
    if (expected === null || typeof expected === "string") expect(refusal).toBe(expected);
    else expect(refusal).toMatch(expected);
  });
});
