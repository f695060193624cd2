import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys, freePort, REDIS_URL, SECRET, waitFor } from "../../helpers/app-harness.js";
import { CLI } from "../../helpers/worker-process.js";

// Fail closed (issue 11): `serve` (with its worker) and `worker` start only when a probe ran inside
// a real lane sandbox, unless the operator chose `sandbox: none`.

let dir: string;
let prefix: string;
/** A PATH with node and git but no bwrap: the probe cannot find bubblewrap. */
let noBwrapPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-race-serve-sandbox-"));
  prefix = `agent-race-test-${randomUUID().slice(0, 8)}`;
  noBwrapPath = join(dir, "bin");
  await mkdir(noBwrapPath);
  for (const tool of ["node", "git", "sh"]) {
    const found = (await execa("sh", ["-c", `command -v ${tool}`])).stdout.trim();
    await symlink(found, join(noBwrapPath, tool));
  }
});

afterAll(async () => {
  await deleteKeys(prefix);
  await rm(dir, { recursive: true, force: true });
});

async function envFor(operator: string, path: string): Promise<Record<string, string>> {
  const file = join(dir, `operator-${randomUUID().slice(0, 6)}.yml`);
  await writeFile(file, operator);
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    PATH: path, HOME: dir, APP_ID: "1", PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    WEBHOOK_SECRET: SECRET, REDIS_URL, AGENT_RACE_PREFIX: prefix, AGENT_RACE_CONFIG: file, AGENT_RACE_CACHE_DIR: join(dir, "cache"),
    PORT: String(await freePort()), HOST: "127.0.0.1", LOG_LEVEL: "info",
  };
}

describe("the start-up sandbox check", () => {
  it("serve refuses to start when bubblewrap is missing, and says how to fix it", async () => {
    const result = await execa(process.execPath, [CLI, "serve"], { env: await envFor("allow_repo_agents: true\n", noBwrapPath), extendEnv: false, reject: false, timeout: 30_000 });
    expect(result.exitCode).toBe(2);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/bubblewrap \(bwrap\) is not installed/);
    expect(output).toMatch(/apt-get install bubblewrap/);
    expect(output).toMatch(/sandbox: \{ mode: none \}/);
    expect(output).not.toMatch(/\n\s+at .*\(/);
  });

  it("worker refuses the same way", async () => {
    const result = await execa(process.execPath, [CLI, "worker"], { env: await envFor("allow_repo_agents: true\n", noBwrapPath), extendEnv: false, reject: false, timeout: 30_000 });
    expect(result.exitCode).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/bubblewrap \(bwrap\) is not installed/);
  });

  it("serve starts with sandbox: none, and warns that lanes run unsandboxed", async () => {
    const env = await envFor("allow_repo_agents: true\nsandbox: { mode: none }\n", noBwrapPath);
    const child = execa(process.execPath, [CLI, "serve"], { env, extendEnv: false, reject: false });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${env.PORT}/ping`).catch(() => null))?.ok, 20_000, "the server to listen");
      await waitFor(() => /UNSANDBOXED/.test(output), 10_000, "the warning");
      expect(output).toMatch(/"level":40.*sandbox: none/);
    } finally {
      child.kill("SIGTERM");
      await child;
    }
  });
});
