import { describe, expect, it } from "vitest";
import { findDependencyCycle } from "../../../src/commands/find-dependency-cycle.js";

/** Declared dependencies of open issues; an issue not listed is closed. */
function graph(edges: Readonly<Record<number, readonly number[]>>) {
  const asked: number[] = [];
  return {
    asked,
    lookup: async (n: number) => {
      asked.push(n);
      return edges[n] ? [...edges[n]] : null;
    },
  };
}

describe("findDependencyCycle", () => {
  it.each<[string, number, Record<number, number[]>, number[], number[] | null]>([
    ["direct", 1, { 2: [1] }, [2], [1, 2, 1]],
    ["through two", 1, { 2: [3], 3: [1] }, [2], [1, 2, 3, 1]],
    ["from the second dependency", 1, { 2: [], 3: [4], 4: [1] }, [2, 3], [1, 3, 4, 1]],
    ["none: a chain", 1, { 2: [3], 3: [] }, [2], null],
    ["none: the path ends at a closed issue", 1, { 2: [3] }, [2], null],
    ["none: a cycle that does not include the start", 1, { 2: [3], 3: [2] }, [2], null],
    ["none: diamond", 1, { 2: [4], 3: [4], 4: [] }, [2, 3], null],
  ])("%s", async (_name, start, edges, deps, expected) => {
    const g = graph(edges);
    expect(await findDependencyCycle(start, deps, g.lookup)).toEqual(expected);
  });

  it("asks about each issue once, even in a diamond", async () => {
    const g = graph({ 2: [4], 3: [4], 4: [5], 5: [] });
    await findDependencyCycle(1, [2, 3], g.lookup);
    expect(g.asked.sort()).toEqual([2, 3, 4, 5]);
  });

  it("gives up after 50 issues instead of walking a huge graph", async () => {
    const g = graph(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [i + 2, [i + 3]])));
    expect(await findDependencyCycle(1, [2], g.lookup)).toBeNull();
    expect(g.asked.length).toBeLessThanOrEqual(50);
  });
});
