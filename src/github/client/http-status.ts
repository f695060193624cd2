/** The HTTP status of an Octokit `RequestError` (or anything shaped like one), else undefined. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  return typeof error.status === "number" ? error.status : undefined;
}
