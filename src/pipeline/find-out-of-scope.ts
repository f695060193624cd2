import picomatch from "picomatch";

/** The changed files that match none of the scope globs (none when there is no scope). */
export function findOutOfScope(files: readonly string[], scope: readonly string[]): string[] {
  if (scope.length === 0) return [];
  const inScope = picomatch([...scope], { dot: true });
  return files.filter((file) => !inScope(file));
}
