/** How many issues the walk looks at before it gives up (no cycle reported). */
const MAX_VISITED = 50;

/**
 * Whether waiting for `dependencies` would deadlock `start`: follows each open dependency's own
 * declared dependencies (depth first, at most 50 issues) and returns the first path that leads
 * back to `start`, e.g. `[3, 5, 3]`, or null. `dependenciesOf` answers null for a closed or
 * missing issue, which ends that path: nothing waits on it.
 */
export async function findDependencyCycle(
  start: number,
  dependencies: readonly number[],
  dependenciesOf: (issue: number) => Promise<number[] | null>,
): Promise<number[] | null> {
  const visited = new Set<number>([start]);
  const walk = async (path: number[], next: readonly number[]): Promise<number[] | null> => {
    for (const issue of next) {
      if (issue === start) return [...path, start];
      if (visited.has(issue) || visited.size >= MAX_VISITED) continue;
      visited.add(issue);
      const own = await dependenciesOf(issue);
      if (!own) continue;
      const cycle = await walk([...path, issue], own);
      if (cycle) return cycle;
    }
    return null;
  };
  return walk([start], dependencies);
}
