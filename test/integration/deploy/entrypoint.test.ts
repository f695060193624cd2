import { generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys, freePort, REDIS_URL } from "../../helpers/app-harness.js";
import { all } from "./deploy-files.js";
import { assembleRuntime, type Mode, type RuntimeImage } from "./runtime-stage.js";

// The Dockerfile's runtime stage rebuilt in a temp dir (no Docker engine needed), then its
// ENTRYPOINT run the way `docker run IMAGE <role>` would. Slow-ish: runs in CI (CI=true), or with
// AGENT_RACE_DEPLOY_TEST=1 (fast) / AGENT_RACE_DEPLOY_TEST=full (real build and npm ci).
const flag = process.env.AGENT_RACE_DEPLOY_TEST;
const mode: Mode | null = flag === "full" ? "full" : flag === "1" || process.env.CI === "true" ? "fast" : null;

describe.skipIf(mode === null)("the image's runtime stage, outside Docker", () => {
  let root: string;
  let image: RuntimeImage;
  let env: Record<string, string>;
  const prefix = `agent-race-test-deploy-${randomUUID().slice(0, 8)}`;
  let privateKey: string;

  beforeAll(async () => {
    privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    root = mkdtempSync(join(tmpdir(), "agent-race-deploy-"));
    image = await assembleRuntime(root, mode ?? "fast");
    const home = join(root, "home");
    const gitconfig = join(root, "empty.gitconfig");
    writeFileSync(gitconfig, "");
    // Only what the image sets, plus a fresh HOME and no git identity (a container has none).
    env = { PATH: process.env.PATH ?? "", HOME: home, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: "1", ...image.env };
  }, mode === "full" ? 900_000 : 120_000);

  afterAll(async () => {
    if (mode === null) return;
    await deleteKeys(prefix);
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  const run = (args: string[], extra: Record<string, string> = {}, cwd?: string): ResultPromise<{ reject: false }> => {
    const [command = "", ...rest] = image.entrypoint;
    return execa(command === "node" ? process.execPath : command, [...rest, ...args], {
      cwd: cwd ?? image.appDir, env: { ...env, ...extra }, extendEnv: false, reject: false, timeout: 60_000,
    });
  };
  const appEnv = (): Record<string, string> => ({ APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "deploy-test", REDIS_URL, AGENT_RACE_PREFIX: prefix });

  it("has production dependencies only", () => {
    const has = (name: string): boolean => existsSync(join(image.appDir, "node_modules", name, "package.json"));
    expect(["bullmq", "probot", "ioredis", "execa"].filter((name) => !has(name))).toEqual([]);
    // typescript stays: npm keeps it (devOptional) as an optional peer of a production dependency.
    expect(["vitest", "nock", "playwright-core", "@octokit/webhooks-examples"].filter(has)).toEqual([]);
    expect(existsSync(join(image.appDir, "dist", "main.js"))).toBe(true);
  });

  it("--help lists both roles", async () => {
    const result = await run(["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^\s+serve\b/m);
    expect(result.stdout).toMatch(/^\s+worker\b/m);
  });

  it("worker with a bad environment exits non-zero with a one-line message, no stack trace", async () => {
    const missing = await run(["worker"]);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr.trim()).toMatch(/^agent-race: .*APP_ID[^\n]*$/);
    const invalid = await run(["worker"], { ...appEnv(), REDIS_URL: "not-a-url" });
    expect(invalid.exitCode).not.toBe(0);
    expect(invalid.stderr).toMatch(/^agent-race: /);
    expect(invalid.stderr).toContain("REDIS_URL");
    for (const output of [missing.stderr, invalid.stderr]) expect(output).not.toMatch(/^\s+at /m);
  }, 60_000);

  it("runs the demo race from the production install", async () => {
    const cwd = join(root, "demo-cwd");
    mkdirSync(cwd);
    const result = await run(["demo", "--json"], {}, cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { lanes: unknown[]; winner: unknown };
    expect(report.lanes).toHaveLength(3);
    expect(report.winner).not.toBeNull();
  }, 60_000);

  it("serve and worker start, pass the image's HEALTHCHECK, and stop cleanly on SIGTERM", async () => {
    const port = await freePort();
    const healthcheck = (pid: number): Promise<number> => {
      const cmd = JSON.parse(/CMD (\[.*\])$/.exec(all(image.runtime, "HEALTHCHECK")[0] ?? "")?.[1] ?? "[]") as string[];
      const [, ...args] = cmd; // node -e <script>; the script looks at PID 1, i.e. the container's main process
      expect(args.join(" ")).toContain("/proc/1/cmdline");
      const script = args.map((a) => a.replace("/proc/1/cmdline", `/proc/${pid}/cmdline`));
      return execa(process.execPath, script, { env: { ...env, PORT: String(port) }, extendEnv: false, reject: false, timeout: 10_000 }).then((r) => r.exitCode ?? -1);
    };

    const web = run(["serve", "--no-worker"], { ...appEnv(), PORT: String(port), LOG_LEVEL: "warn" });
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, web);
    expect(await healthcheck(web.pid as number)).toBe(0);
    web.kill("SIGTERM");
    const webResult = await web;
    expect(webResult.exitCode, webResult.stderr).toBe(0);
    expect(await healthcheck(process.pid)).toBe(0); // not a `serve` process: nothing to check

    const worker = run(["worker"], { ...appEnv(), LOG_LEVEL: "info" });
    let output = "";
    worker.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await until(async () => output.includes("worker started"), worker);
    expect(await healthcheck(worker.pid as number)).toBe(0);
    worker.kill("SIGTERM");
    const workerResult = await worker;
    expect(workerResult.exitCode, workerResult.stderr).toBe(0);

    // A `serve` process with nothing listening is unhealthy.
    const idle = execa(process.execPath, ["-e", "setTimeout(() => {}, 30000)", "serve"], { reject: false });
    expect(await healthcheck(idle.pid as number)).not.toBe(0);
    idle.kill("SIGKILL");
    await idle;
  }, 120_000);
});

/** Polls `ready` until it is true; fails early with the process's output if it exits first. */
async function until(ready: () => Promise<boolean>, child: ResultPromise<{ reject: false }>): Promise<void> {
  let exited = false;
  void child.finally(() => (exited = true));
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (exited) {
      const result = await child;
      throw new Error(`exited with ${String(result.exitCode)} before it was ready:\n${String(result.stderr)}\n${String(result.stdout)}`);
    }
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("not ready within 45 s");
}
