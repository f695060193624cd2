import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, SECRET, startAppHarness, waitFor, type AppHarness } from "../helpers/app-harness.js";
import type { FakeRepo } from "../helpers/fake-github/index.js";
import { CHECK_EVALS, NODE } from "../helpers/race-fixture.js";
import { raceTestKit } from "../helpers/race-test-kit.js";
import { startWorkerChild, type WorkerChild } from "../helpers/worker-process.js";

// Issue 11: the hostile agent through the GitHub App. The lanes run in a real `agent-race worker`
// process whose environment holds PRIVATE_KEY, WEBHOOK_SECRET and a canary, whose HOME holds a
// canary key file; the issue text tells the agent where to look. None of it may reach the agent.

const HOSTILE = fileURLToPath(new URL("../fixtures/agents/hostile-agent.mjs", import.meta.url));
const bwrapAvailable = existsSync("/usr/bin/bwrap") || existsSync("/usr/local/bin/bwrap");

describe.skipIf(!bwrapAvailable)("a hostile agent in a GitHub race (sandboxed worker)", () => {
  let h: AppHarness;
  let worker: WorkerChild;
  let repo: FakeRepo;
  let results: Record<string, { ok: boolean; value?: unknown; code?: string }>;
  let branch: string;
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  const marker = `daemon-${randomBytes(8).toString("hex")}`;
  /** A line of the App's private key: the key itself must not leak, whole or in part. */
  let keyLine: string;
  const kit = raceTestKit(() => h, "hostile");

  beforeAll(async () => {
    h = await startAppHarness({ files: {}, withWorker: false });
    const home = join(h.dir, "worker-home");
    await mkdir(join(home, ".ssh"), { recursive: true });
    await writeFile(join(home, ".ssh", "id_canary"), canary);
    keyLine = (h.envVars.PRIVATE_KEY ?? "").split("\n")[3] ?? "";
    expect(keyLine.length).toBeGreaterThan(40);
    worker = await startWorkerChild({ ...h.envVars, HOME: home, AGENT_RACE_CANARY: canary, LOG_LEVEL: "info" });
    repo = await kit.repoWith([
      "agents:",
      `  hostile: { command: ${JSON.stringify([NODE, HOSTILE])} }`,
      "default_agents: [hostile]",
      "lanes: 1",
      CHECK_EVALS,
    ].join("\n"));
    const targets = { realHome: home, privateKeyPath: join(h.dir, "operator.yml"), redisPort: 6379, marker };
    const issue = h.fake.addIssue(repo, { title: "Fix the answer", body: `Make the answer 42. TARGETS ${JSON.stringify(targets)}`, user: "alice" });
    await kit.startRace(repo, issue);
    await waitFor(() => kit.marked(repo, issue.number, "agent-race:comparison:"), 60_000, "comparison comment");
    [branch] = (await kit.agentBranches(repo)) as [string];
    results = JSON.parse((await execa("git", ["show", `${branch}:hostile-results.json`], { cwd: repo.bareDir })).stdout);
  }, 90_000);

  afterAll(async () => {
    await worker?.kill();
    await execa("pkill", ["-f", `sleep 100[01] ${marker}`], { reject: false });
    await h?.close();
  });

  it("the lane passed and was pushed", () => {
    expect(branch).toMatch(/^agent-race\//);
    expect(worker.output()).toMatch(/lane sandbox ready/);
  });

  it("saw only its own processes, none with the worker's environment", () => {
    const environ = results.environ as unknown as Record<string, string>;
    expect(Object.keys(environ).length).toBeGreaterThan(0);
    expect(Object.keys(environ).length).toBeLessThan(8);
    const all = JSON.stringify(results);
    for (const secret of [canary, SECRET, keyLine]) expect(all).not.toContain(secret);
  });

  it("could read neither the worker's HOME nor the operator config, nor reach Redis", () => {
    expect(results.ssh?.ok).toBe(false);
    expect(results.privateKey?.ok).toBe(false);
    expect(results.redis?.ok).toBe(false);
    expect(results.outside?.ok).toBe(false);
  });

  it("leaks no secret into the branch, the comments, the check runs, the job data or the logs", async () => {
    const state = h.fake.repo(repo);
    const github = JSON.stringify([[...state.comments.values()], [...state.pulls.values()], [...state.checkRuns.values()]]);
    const branchText = (await execa("git", ["grep", "-h", "-e", canary, "-e", SECRET, "-e", keyLine, branch, "--"], { cwd: repo.bareDir, reject: false })).stdout;
    const logs = await allText(join(h.dir, "cache", "logs"));
    const redis = await redisText(h.prefix);
    expect(redis.length).toBeGreaterThan(100);
    for (const secret of [canary, SECRET, keyLine]) {
      expect(github).not.toContain(secret);
      expect(branchText).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(redis).not.toContain(secret);
      expect(worker.output()).not.toContain(secret);
    }
  });
});

async function allText(dir: string): Promise<string> {
  if (!existsSync(dir)) return "";
  const parts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name), "utf8").catch(() => ""));
  }
  return parts.join("\n");
}

/** Every value under the test's Redis prefix (strings, hashes, lists, sets, sorted sets, streams). */
async function redisText(prefix: string): Promise<string> {
  const redis = new Redis(REDIS_URL);
  const parts: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === "string") parts.push((await redis.get(key)) ?? "");
      else if (type === "hash") parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === "list") parts.push(...(await redis.lrange(key, 0, -1)));
      else if (type === "set") parts.push(...(await redis.smembers(key)));
      else if (type === "zset") parts.push(...(await redis.zrange(key, 0, -1)));
      else if (type === "stream") parts.push(JSON.stringify(await redis.xrange(key, "-", "+")));
    }
    cursor = next;
  } while (cursor !== "0");
  redis.disconnect();
  return parts.join("\n");
}
