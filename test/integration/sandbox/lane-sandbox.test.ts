import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../../src/process/run-process.js";
import { LaneSandbox, type SandboxLaneDirs } from "../../../src/sandbox/lane-sandbox.js";
import { probeSandbox } from "../../../src/sandbox/probe-sandbox.js";
import { DEFAULT_SANDBOX_SETTINGS, type SandboxSettings } from "../../../src/config/sandbox-settings.js";

const HOSTILE = fileURLToPath(new URL("../../fixtures/agents/hostile-agent.mjs", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../../fixtures", import.meta.url));
const bwrapAvailable = existsSync("/usr/bin/bwrap") || existsSync("/usr/local/bin/bwrap");

interface Result { ok: boolean; value?: unknown; code?: string }
type Results = Record<string, Result> & { environ: Record<string, string>; redis: Result; proc: Result; passwdHome: Result; outsideAbsolute: Result; otherLaneWrite: Result; usr: Result; unshare: Result; daemon: Result };

describe.skipIf(!bwrapAvailable)("the lane sandbox (real bubblewrap)", () => {
  let root: string;
  let lane: SandboxLaneDirs;
  let other: string;
  let realHome: string;
  let keyPath: string;
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  const settings: SandboxSettings = { ...DEFAULT_SANDBOX_SETTINGS, read_only: [FIXTURES] };
  const laneDirs = async (name: string): Promise<SandboxLaneDirs> => {
    const dir = join(root, "worktrees", "race-1", name);
    const dirs = { dir, work: join(dir, "work"), home: join(dir, "home"), tmp: join(dir, "tmp"), objectsDir: join(root, "mirror", "objects") };
    for (const path of [dirs.work, dirs.home, dirs.tmp, dirs.objectsDir]) await mkdir(path, { recursive: true });
    return dirs;
  };
  const run = (dirs: SandboxLaneDirs, file: string, args: string[], extra: Partial<SandboxSettings> = {}, input?: string) =>
    runProcess(file, args, {
      cwd: dirs.work, env: { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8" }, timeoutMs: 20_000, input,
      sandbox: new LaneSandbox({ bwrap: "bwrap", settings: { ...settings, ...extra }, lane: dirs }).forPhase("agent", []),
    });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "agent-race-sandbox-"));
    lane = await laneDirs("lane-1");
    other = (await laneDirs("lane-2")).work;
    await writeFile(join(other, "secret.txt"), "lane 2's work");
    realHome = join(root, "worker-home");
    await mkdir(join(realHome, ".ssh"), { recursive: true });
    await writeFile(join(realHome, ".ssh", "id_canary"), canary);
    keyPath = join(root, "private-key.pem");
    await writeFile(keyPath, `-----BEGIN RSA PRIVATE KEY-----\n${canary}\n-----END RSA PRIVATE KEY-----\n`);
    process.env.AGENT_RACE_TEST_CANARY = canary;
  });
  afterAll(async () => {
    delete process.env.AGENT_RACE_TEST_CANARY;
    spawnSync("pkill", ["-f", `sleep 100[01] ${canary}`]);
    await rm(root, { recursive: true, force: true });
  });

  it("passes the start-up probe", async () => {
    const probe = await probeSandbox(settings, join(root, "probe"));
    expect(probe).toMatchObject({ ok: true, problem: null });
  });

  describe("a hostile agent", () => {
    let results: Results;
    beforeAll(async () => {
      const targets = { realHome, privateKeyPath: keyPath, otherLane: other, objectsDir: lane.objectsDir, laneRoot: lane.dir, redisPort: 6379, marker: canary };
      const ran = await run(lane, process.execPath, [HOSTILE], {}, `Fix the bug.\nTARGETS ${JSON.stringify(targets)}\n`);
      expect(ran.exitCode, ran.stderr).toBe(0);
      results = JSON.parse(await readFile(join(lane.work, "hostile-results.json"), "utf8"));
    }, 30_000);

    it("sees only its own processes, and no environment but its own", () => {
      expect((results.proc.value as string[]).length).toBeLessThan(8);
      expect(JSON.stringify(results.environ)).not.toContain(canary);
      expect(JSON.stringify(results.ownEnv)).not.toContain(canary);
      expect(JSON.stringify(results.ppidEnviron)).not.toContain(canary);
    });

    it("cannot read the worker's HOME or the private key", () => {
      expect(results.ssh).toMatchObject({ ok: false, code: "ENOENT" });
      expect(results.realHomeList).toMatchObject({ ok: false, code: "ENOENT" });
      expect(results.privateKey).toMatchObject({ ok: false, code: "ENOENT" });
      expect(results.shadow).toMatchObject({ ok: false });
      expect(String(results.passwdHome.value)).toContain("/home/agent");
    });

    it("cannot write outside its worktree", async () => {
      expect(results.outside).toMatchObject({ ok: false, code: "EROFS" });
      expect(results.outsideAbsolute.ok).toBe(false);
      expect(results.usr.ok).toBe(false);
      expect(results.rootfs).toMatchObject({ ok: false, code: "EROFS" });
      expect(results.objects).toMatchObject({ ok: false, code: "EROFS" });
      expect(existsSync(join(lane.dir, "outside.txt"))).toBe(false);
      expect(existsSync(join(lane.objectsDir, "escape"))).toBe(false);
    });

    it("cannot see or touch another lane's worktree", async () => {
      expect(results.otherLaneRead).toMatchObject({ ok: false, code: "ENOENT" });
      expect(results.otherLaneWrite.ok).toBe(false);
      expect(existsSync(join(other, "pwned.txt"))).toBe(false);
    });

    it("cannot reach the worker's Redis on loopback", () => {
      expect(results.redis.ok).toBe(false);
      expect(results.redis.code).toBe("ECONNREFUSED");
    });

    it("cannot make a nested user namespace", () => {
      expect(results.unshare.ok).toBe(false);
    });

    it("leaves no daemon behind: the setsid double fork died with the lane", () => {
      expect(results.daemon.ok).toBe(true);
      const survivors = spawnSync("pgrep", ["-f", `sleep 100[01] ${canary}`], { encoding: "utf8" });
      expect(survivors.stdout.trim()).toBe("");
    });
  });

  it("ends a process tree that passes its memory cap, and says so", async () => {
    const dirs = await laneDirs("lane-mem");
    const ran = await run(dirs, process.execPath, ["-e", "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));"], { memory_mb: 96 });
    expect(ran.limit).toBe("memory");
    expect(ran.exitCode).not.toBe(0);
  });

  it("refuses forks past the process cap, and says so", async () => {
    const dirs = await laneDirs("lane-pids");
    const ran = await run(dirs, "/bin/sh", ["-c", "for i in $(seq 1 60); do sleep 5 & done; wait"], { pids: 20 });
    expect(ran.limit).toBe("pids");
  });

  it("runs a normal tool chain: node --test and a setup that writes node_modules", async () => {
    const dirs = await laneDirs("lane-ok");
    await writeFile(join(dirs.work, "a.test.mjs"), `import test from "node:test"; import assert from "node:assert"; test("adds", () => assert.equal(1 + 1, 2));\n`);
    const setup = await run(dirs, "/bin/sh", ["-c", "mkdir -p node_modules/dep && echo 'export default 1' > node_modules/dep/index.js && echo ok > $HOME/.setup-ran"]);
    expect(setup.exitCode, setup.stderr).toBe(0);
    expect(existsSync(join(dirs.work, "node_modules", "dep", "index.js"))).toBe(true);
    expect(existsSync(join(dirs.home, ".setup-ran"))).toBe(true);
    const tests = await run(dirs, process.execPath, ["--test", "a.test.mjs"]);
    expect(tests.exitCode, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/pass 1/);
  });

  it("gives a phase with egress only its allowlist: a forwarded loopback gateway, 403 for the rest, no Redis, and a note", async () => {
    const gateway = createServer((_req, res) => res.end("gateway-ok"));
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    const port = (gateway.address() as AddressInfo).port;
    try {
      const dirs = await laneDirs("lane-egress");
      await writeFile(join(dirs.work, "net.mjs"), [
        `import { get } from "node:http"; import { connect } from "node:net";`,
        `const out = {};`,
        `out.gateway = await new Promise((r) => get("http://127.0.0.1:${port}/", (res) => { let t = ""; res.on("data", (c) => (t += c)); res.on("end", () => r(t)); }).on("error", (e) => r("ERR " + e.code)));`,
        `const raw = (port, text) => new Promise((r) => { const s = connect({ host: "127.0.0.1", port }); let t = ""; s.on("connect", () => s.write(text)); s.on("data", (c) => { t += c; s.destroy(); r(t.split("\\r\\n")[0]); }); s.on("error", (e) => r("ERR " + e.code)); setTimeout(() => { s.destroy(); r("TIMEOUT"); }, 3000); });`,
        `const proxy = new URL(process.env.HTTPS_PROXY).port;`,
        `out.denied = await raw(Number(proxy), "CONNECT denied.example.com:443 HTTP/1.1\\r\\nHost: denied.example.com:443\\r\\n\\r\\n");`,
        `out.redis = await raw(6379, "PING\\r\\n");`,
        `console.log(JSON.stringify(out));`,
      ].join("\n"));
      const ran = await runProcess(process.execPath, ["net.mjs"], {
        cwd: dirs.work, env: { PATH: "/usr/local/bin:/usr/bin:/bin" }, timeoutMs: 20_000,
        sandbox: new LaneSandbox({ bwrap: "bwrap", settings, lane: dirs }).forPhase("agent", [`127.0.0.1:${port}`, "api.anthropic.com"]),
      });
      expect(ran.exitCode, ran.stderr).toBe(0);
      const out = JSON.parse(ran.stdout.trim().split("\n").at(-1) ?? "{}");
      expect(out.gateway).toBe("gateway-ok");
      expect(out.denied).toMatch(/^HTTP\/1\.1 403/);
      expect(out.redis).toMatch(/^ERR ECONNREFUSED$/);
      expect(ran.sandboxNotes.join("; ")).toContain("network access refused by the sandbox: denied.example.com:443");
    } finally {
      gateway.close();
    }
  });

  it("runs an agent CLI installed under a user npm prefix, mounting only its node_modules", async () => {
    const prefix = join(root, "npm-global");
    const pkg = join(prefix, "lib", "node_modules", "@acme", "agent-cli");
    await mkdir(join(pkg, "node_modules", "dep"), { recursive: true });
    await mkdir(join(prefix, "bin"), { recursive: true });
    await writeFile(join(pkg, "node_modules", "dep", "index.js"), "module.exports = 'dep-ok';\n");
    await writeFile(join(pkg, "cli.js"), "#!/usr/bin/env node\nconsole.log(require('dep'), require('fs').existsSync(process.argv[2]));\n", { mode: 0o755 });
    await writeFile(join(prefix, "lib", "other-secret.txt"), "not yours");
    await symlink(join(pkg, "cli.js"), join(prefix, "bin", "agent-cli"));
    const dirs = await laneDirs("lane-tool");
    const ran = await runProcess("agent-cli", [join(prefix, "lib", "other-secret.txt")], {
      cwd: dirs.work, env: { PATH: `${join(prefix, "bin")}:/usr/local/bin:/usr/bin:/bin` }, timeoutMs: 20_000,
      sandbox: new LaneSandbox({ bwrap: "bwrap", settings, lane: dirs }).forPhase("agent", []),
    });
    expect(ran.exitCode, ran.stderr).toBe(0);
    expect(ran.stdout.trim()).toBe("dep-ok false");
  });
});
