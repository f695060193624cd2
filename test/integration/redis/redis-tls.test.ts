import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRedis, createRedis } from "../../../src/redis/connection.js";
import { freePort } from "../../helpers/free-port.js";
import { startRedisServer, type TestRedisServer } from "../../helpers/redis-server.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A redis-server built without TLS rejects `--tls-port` as a bad directive; with it, `--port 0 --tls-port 0` just exits. */
const probe = spawnSync("redis-server", ["--port", "0", "--tls-port", "0", "--save", ""], { encoding: "utf8", timeout: 5000 });
const TLS_SUPPORTED = !probe.error && !/bad directive|tls-port/i.test(`${probe.stdout}${probe.stderr}`);
if (!TLS_SUPPORTED) console.warn("redis-tls.test.ts skipped: this redis-server is built without TLS support (`--tls-port` is refused)");

/**
 * The child enqueues and processes a BullMQ job through the project's own connection code (the built
 * `dist/`, as `npm test` builds it first), from REDIS_URL, with the test CA trusted via NODE_EXTRA_CA_CERTS
 * (which Node reads only at start-up, hence a child process).
 */
const CHILD = `
import { Queue, Worker } from "bullmq";
import { checkRedis, createRedis } from "./dist/redis/connection.js";
const url = process.env.REDIS_URL;
const producer = createRedis(url, "producer");
await checkRedis(producer);
const connection = createRedis(url, "worker");
const prefix = "agent-race-tls-test";
const queue = new Queue("tls", { connection: producer, prefix });
const worker = new Worker("tls", async (job) => job.data.n * 2, { connection, prefix });
const value = await new Promise((resolve, reject) => {
  worker.on("completed", (_job, result) => resolve(result));
  worker.on("failed", (_job, error) => reject(error));
  void queue.add("double", { n: 21 });
});
const ping = await producer.ping();
await worker.close();
await queue.obliterate({ force: true });
await queue.close();
console.log(JSON.stringify({ value, ping, tls: producer.options.tls !== undefined }));
producer.disconnect();
connection.disconnect();
`;

describe.skipIf(!TLS_SUPPORTED)("REDIS_URL=rediss:// against a real redis-server with TLS only", () => {
  let dir: string;
  let server: TestRedisServer | undefined;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "agent-race-redis-tls-"));
    const openssl = (...args: string[]) => execa("openssl", args, { cwd: dir });
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    // A CA of the test's own, and a server certificate it signed for 127.0.0.1.
    await openssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=agent-race test CA");
    await openssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    await writeFile(join(dir, "san.cnf"), "subjectAltName=IP:127.0.0.1\n");
    await openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "san.cnf");
    port = await freePort();
    server = await startRedisServer([
      "--port", "0", "--tls-port", String(port), "--bind", "127.0.0.1",
      "--tls-cert-file", join(dir, "server.crt"), "--tls-key-file", join(dir, "server.key"), "--tls-ca-cert-file", join(dir, "ca.crt"),
      "--tls-auth-clients", "no", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction", "--dir", dir,
    ]);
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("with the CA trusted (NODE_EXTRA_CA_CERTS), the app's connections enqueue and process a BullMQ job", async () => {
    const child = await execa(process.execPath, ["--input-type=module", "-e", CHILD], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? "", REDIS_URL: `rediss://127.0.0.1:${port}`, NODE_EXTRA_CA_CERTS: join(dir, "ca.crt") }, extendEnv: false, reject: false, timeout: 15_000,
    });
    expect(child.stderr).toBe(""); // nor Node's warning about SNI with an IP address
    expect(child.exitCode).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ value: 42, ping: "PONG", tls: true });
  });

  it("without the CA, the certificate is refused at start-up with a clear error, not a hang", async () => {
    const redis = createRedis(`rediss://127.0.0.1:${port}`, "producer");
    const started = Date.now();
    try {
      const error = (await checkRedis(redis).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(/^Redis at 127\.0\.0\.1:\d+ presented a TLS certificate this process does not accept \(self[- ]signed certificate in certificate chain\): for a private CA, set NODE_EXTRA_CA_CERTS/);
      expect(Date.now() - started).toBeLessThan(3000);
      // Disconnected, not retrying forever.
      await new Promise<void>((done) => (redis.status === "end" ? done() : redis.once("end", () => done())));
    } finally {
      redis.disconnect();
    }
  });

  it.each(["producer", "worker"] as const)("a plain redis:// URL to the TLS port fails at once and says to use rediss:// (%s)", async (role) => {
    const redis = createRedis(`redis://127.0.0.1:${port}`, role);
    const started = Date.now();
    try {
      const error = (await checkRedis(redis).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(/^Redis at 127\.0\.0\.1:\d+ is not reachable: .*\(if this Redis takes TLS connections only, REDIS_URL must start with rediss:\/\/\)$/);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      redis.disconnect();
    }
  });
});
