import { describe, expect, it } from "vitest";
import { decideOverlap } from "../../../src/overlap/decide-overlap.js";
import type { MergeTreeResult } from "../../../src/git/merge-tree.js";

describe("decideOverlap", () => {
  it.each<[string, string[], MergeTreeResult | null, ReturnType<typeof decideOverlap>]>([
    ["a clean merge", ["src/a.ts"], { clean: true, conflicts: [] }, { kind: "clean", conflicts: [] }],
    ["a conflict names git's paths, sorted and once", ["src/a.ts"], { clean: false, conflicts: ["src/b.ts", "src/a.ts", "src/b.ts"] }, { kind: "conflict", conflicts: ["src/a.ts", "src/b.ts"] }],
    ["paths outside the shared files still count (rename/delete)", ["src/a.ts"], { clean: false, conflicts: ["src/moved.ts"] }, { kind: "conflict", conflicts: ["src/moved.ts"] }],
    ["a conflict without paths falls back to the shared files", ["src/z.ts", "src/a.ts"], { clean: false, conflicts: [] }, { kind: "conflict", conflicts: ["src/a.ts", "src/z.ts"] }],
    ["no merge (a head is missing): no verdict", ["src/a.ts"], null, null],
  ])("%s", (_name, files, merge, expected) => {
    expect(decideOverlap(files, merge)).toEqual(expected);
  });
});
