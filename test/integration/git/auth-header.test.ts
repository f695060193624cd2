import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitError } from "../../../src/errors.js";
import { basicAuthHeader } from "../../../src/git/auth-header.js";
import { runGit } from "../../../src/git/git.js";
import { createFakeGitHub, type FakeGitHub } from "../../helpers/fake-github/index.js";

describe("basicAuthHeader", () => {
  let github: FakeGitHub;
  let cwd: string;
  beforeAll(async () => {
    github = await createFakeGitHub();
    cwd = await mkdtemp(join(tmpdir(), "agent-race-auth-"));
  });
  afterAll(async () => {
    await github.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it("builds GitHub's basic header for an installation token", () => {
    expect(basicAuthHeader("ghs_abc")).toBe(`AUTHORIZATION: basic ${Buffer.from("x-access-token:ghs_abc").toString("base64")}`);
    expect(() => basicAuthHeader("")).toThrow();
    expect(() => basicAuthHeader("ghs_abc\r\nX-Evil: 1")).toThrow();
  });

  it("authenticates git smart HTTP against the fake GitHub", async () => {
    const repo = await github.addRepo({ owner: "octo", name: "auth" });
    const token = github.createInstallationToken();
    const listed = await runGit(["ls-remote", "--heads", "--end-of-options", repo.cloneUrl], { cwd, authHeader: basicAuthHeader(token), authScope: `${github.url}/` });
    expect(listed.stdout).toMatch(/\trefs\/heads\/main$/);
    const denied = runGit(["ls-remote", "--heads", "--end-of-options", repo.cloneUrl], { cwd, authHeader: basicAuthHeader("ghs_wrong_token_123"), authScope: `${github.url}/` });
    await expect(denied).rejects.toBeInstanceOf(GitError);
  });
});
