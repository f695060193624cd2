/**
 * The `http.extraHeader` line GitHub accepts for an installation token over HTTPS:
 * `AUTHORIZATION: basic base64("x-access-token:<token>")`. Give it to `runGit` as `authHeader`, which passes it
 * through the environment only (never argv or `.git/config`) and redacts it from output and errors.
 */
export function basicAuthHeader(token: string): string {
  if (token.length === 0 || /[\r\n]/.test(token)) throw new Error("invalid installation token");
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`, "utf8").toString("base64")}`;
}
