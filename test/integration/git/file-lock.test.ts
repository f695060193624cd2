import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CancelledError } from "../../../src/errors.js";
import { withFileLock } from "../../../src/git/file-lock.js";

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((done) => child.once("exit", done));
  if (child.pid === undefined) throw new Error("no pid");
  return child.pid;
}

async function fakeLock(path: string, owner: { pid: number; hostname: string; time: number }): Promise<void> {
  await mkdir(path, { recursive: true });
  await writeFile(join(path, "owner.json"), JSON.stringify({ ...owner, id: "someone-else" }));
}

describe("withFileLock", () => {
  let root: string;
  let lock: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "agent-race-lock-"));
    lock = join(root, "sub", "thing.lock");
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("serializes calls in one process, in call order, and removes the lock afterwards", async () => {
    const events: string[] = [];
    let active = 0;
    let maxActive = 0;
    const run = (id: number, ms: number) =>
      withFileLock(lock, async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        events.push(`start ${id}`);
        expect(existsSync(join(lock, "owner.json"))).toBe(true);
        await sleep(ms);
        events.push(`end ${id}`);
        active--;
        return id;
      });
    const results = await Promise.all([run(1, 40), run(2, 5), run(3, 20), run(4, 1), run(5, 10)]);
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(maxActive).toBe(1);
    expect(events).toEqual([1, 2, 3, 4, 5].flatMap((id) => [`start ${id}`, `end ${id}`]));
    expect(existsSync(lock)).toBe(false);
  });

  it("releases the lock when fn throws", async () => {
    await expect(withFileLock(lock, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(existsSync(lock)).toBe(false);
    await expect(withFileLock(lock, async () => "next")).resolves.toBe("next");
  });

  it("breaks a lock left by a dead process on this host", async () => {
    await fakeLock(lock, { pid: await deadPid(), hostname: hostname(), time: Date.now() });
    await expect(withFileLock(lock, async () => "got it", { timeoutMs: 2000 })).resolves.toBe("got it");
    expect(existsSync(lock)).toBe(false);
  });

  it("breaks a lock older than staleMs, even from another host", async () => {
    await fakeLock(lock, { pid: 1, hostname: "some-other-host", time: Date.now() - 60_000 });
    await expect(withFileLock(lock, async () => "got it", { staleMs: 30_000, timeoutMs: 2000 })).resolves.toBe("got it");
  });

  it("waits for a live holder in another process, then takes the lock", async () => {
    await fakeLock(lock, { pid: process.ppid, hostname: hostname(), time: Date.now() });
    setTimeout(() => void rm(lock, { recursive: true, force: true }), 300);
    const started = Date.now();
    await expect(withFileLock(lock, async () => "got it", { timeoutMs: 5000 })).resolves.toBe("got it");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("times out while a live holder keeps the lock", async () => {
    await fakeLock(lock, { pid: process.ppid, hostname: hostname(), time: Date.now() });
    const attempt = withFileLock(lock, async () => "never", { timeoutMs: 300 });
    await expect(attempt).rejects.toThrow(/timed out waiting for lock .*held by pid/);
    expect(existsSync(join(lock, "owner.json"))).toBe(true);
    await fakeLock(lock, { pid: 1, hostname: "other-host", time: Date.now() });
    await expect(withFileLock(lock, async () => "never", { timeoutMs: 200 })).rejects.toThrow(/timed out/);
  });

  it("times out in the in-process queue without letting later callers overtake the holder", async () => {
    const events: string[] = [];
    const first = withFileLock(lock, async () => {
      await sleep(300);
      events.push("first");
    });
    const second = withFileLock(lock, async () => events.push("second"), { timeoutMs: 50 });
    const third = withFileLock(lock, async () => events.push("third"));
    await expect(second).rejects.toThrow(/timed out/);
    await Promise.all([first, third]);
    expect(events).toEqual(["first", "third"]);
  });

  it("stops waiting when the signal aborts", async () => {
    await fakeLock(lock, { pid: process.ppid, hostname: hostname(), time: Date.now() });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(withFileLock(lock, async () => "never", { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    const queued = withFileLock(join(root, "other.lock"), () => sleep(200));
    const aborted = new AbortController();
    const waiting = withFileLock(join(root, "other.lock"), async () => "never", { signal: aborted.signal });
    aborted.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    await queued;
  });

  it("queues aliases of one lock (through a symlinked parent) in-process", async () => {
    await mkdir(join(root, "sub"), { recursive: true });
    await symlink(join(root, "sub"), join(root, "alias"));
    const events: string[] = [];
    const holder = withFileLock(lock, async () => {
      await sleep(100);
      events.push("holder");
    });
    const other = withFileLock(join(root, "alias", "thing.lock"), async () => events.push("other"));
    await Promise.all([holder, other]);
    expect(events).toEqual(["holder", "other"]);
  });

  it("refreshes the owner's time while held, so a long holder is not taken for stale", async () => {
    const readTime = async (): Promise<number> => (JSON.parse(await readFile(join(lock, "owner.json"), "utf8")) as { time: number }).time;
    await withFileLock(
      lock,
      async () => {
        const first = await readTime();
        await sleep(400);
        const last = await readTime();
        expect(last).toBeGreaterThan(first);
        expect(Date.now() - last).toBeLessThan(150);
      },
      { staleMs: 150 },
    );
  });

  it("breaks a lock older than staleMs even when its pid is alive", async () => {
    await fakeLock(lock, { pid: process.ppid, hostname: hostname(), time: Date.now() - 5000 });
    await expect(withFileLock(lock, async () => "got it", { staleMs: 1000, timeoutMs: 2000 })).resolves.toBe("got it");
  });
});
