import picomatch from "picomatch";

/** Always protected: a push of a workflow file with the installation token would change the repo's CI. */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = [".github/workflows/**"];

/** The changed files that match the default protected paths or the repo's `protected_paths` globs. */
export function findProtectedChanges(files: readonly string[], protectedPaths: readonly string[] = []): string[] {
  const isProtected = picomatch([...DEFAULT_PROTECTED_PATHS, ...protectedPaths], { dot: true });
  return files.filter((file) => isProtected(file));
}
