import { httpStatus } from "./http-status.js";

/**
 * True for a 422 whose message or validation errors say the thing already exists: labels answer
 * `code: "already_exists"`, pull requests `message: "A pull request already exists for o:b."`.
 */
export function isAlreadyExists(error: unknown): boolean {
  if (httpStatus(error) !== 422) return false;
  const message = error instanceof Error ? error.message : "";
  const response = typeof error === "object" && error !== null && "response" in error ? error.response : undefined;
  return /already[ _]exists/i.test(`${message} ${JSON.stringify(response ?? null)}`);
}
