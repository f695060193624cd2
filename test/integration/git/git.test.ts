import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CancelledError, GitError } from "../../../src/errors.js";
import { runGit } from "../../../src/git/git.js";
import { createTempRepo, type TempRepo } from "../../helpers/temp-repo.js";

const SECRET = "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1";
const HEADER = `AUTHORIZATION: basic ${SECRET}`;

describe("runGit", () => {
  let repo: TempRepo;
  let server: Server | undefined;
  beforeEach(async () => {
    repo = await createTempRepo();
  });
  afterEach(async () => {
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    server = undefined;
    await repo.cleanup();
  });

  it("returns output and exit code, and throws GitError on failure", async () => {
    const result = await runGit(["rev-parse", "--abbrev-ref", "HEAD"], { cwd: repo.dir });
    expect(result).toEqual({ stdout: "main", stderr: "", exitCode: 0 });
    await expect(runGit(["rev-parse", "--verify", "nope"], { cwd: repo.dir })).rejects.toBeInstanceOf(GitError);
    const failed = await runGit(["rev-parse", "--verify", "--quiet", "nope"], { cwd: repo.dir, allowFailure: true });
    expect(failed.exitCode).toBe(1);
  });

  it("passes stdin, forces the C locale and ignores an inherited GIT_DIR", async () => {
    const hashed = await runGit(["hash-object", "--stdin"], { cwd: repo.dir, input: "hello\n" });
    expect(hashed.stdout).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    const env = await runGit(["var", "GIT_PAGER"], { cwd: repo.dir, env: { GIT_DIR: "/nonexistent" } });
    expect(env.stdout).toBe("cat");
  });

  it("sends the auth header but never writes it to .git/config, argv or errors", async () => {
    const seen: IncomingHttpHeaders[] = [];
    server = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(401, { "WWW-Authenticate": 'Basic realm="x"' }).end();
    });
    await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/repo.git`;
    const error: unknown = await runGit(["ls-remote", url], {
      cwd: repo.dir,
      authHeader: HEADER,
      authScope: `http://127.0.0.1:${port}/`,
      timeoutMs: 20_000,
      env: { http_proxy: "", https_proxy: "", HTTP_PROXY: "", HTTPS_PROXY: "", ALL_PROXY: "", all_proxy: "" },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]?.authorization).toBe(`basic ${SECRET}`);
    const gitError = error as GitError;
    const everything = [gitError.message, gitError.stderr, gitError.args.join(" "), String(gitError), JSON.stringify(gitError)].join("\n");
    expect(everything).not.toContain(SECRET);
    expect(await readFile(join(repo.dir, ".git", "config"), "utf8")).not.toContain(SECRET);
  });

  it("redacts the header when git echoes it", async () => {
    // git prints the offending value in this error message.
    const error: unknown = await runGit(["config", "--get-regexp", "--type=bool", "^http\\..*\\.extraheader$"], {
      cwd: repo.dir,
      authHeader: HEADER,
      authScope: "http://127.0.0.1:1/",
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    const gitError = error as GitError;
    expect(gitError.stderr).toContain("[REDACTED]");
    expect(`${gitError.message}\n${gitError.stderr}`).not.toContain(SECRET);
    const echoed = await runGit(["config", "--get-regexp", "^http\\..*\\.extraheader$"], { cwd: repo.dir, authHeader: HEADER, authScope: "http://127.0.0.1:1/" });
    expect(echoed.stdout).not.toContain(SECRET);
    expect(await readFile(join(repo.dir, ".git", "config"), "utf8")).not.toContain(SECRET);
  });

  it("stops on timeout and on abort", async () => {
    const slow = ["-c", "alias.slow=!sleep 5", "slow"];
    const started = Date.now();
    await expect(runGit(slow, { cwd: repo.dir, timeoutMs: 300 })).rejects.toThrow(/timed out/);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(runGit(slow, { cwd: repo.dir, signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
