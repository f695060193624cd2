/** `git -c` arguments that authenticate smart-HTTP requests with an installation token, like GitHub Apps do. */
export function gitAuthArgs(token: string): string[] {
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return ["-c", `http.extraHeader=Authorization: basic ${basic}`];
}
