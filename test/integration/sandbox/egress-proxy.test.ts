import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EgressProxy } from "../../../src/sandbox/egress-proxy.js";

/** Echoes each chunk as `echo:<chunk>`; when the client half-closes, answers `bye` and ends. */
function echoServer(): Server {
  return createServer({ allowHalfOpen: true }, (socket) => {
    socket.on("data", (chunk) => socket.write(`echo:${chunk}`));
    socket.on("end", () => socket.end("bye"));
    socket.on("error", () => socket.destroy());
  });
}

async function listenTcp(server: Server | HttpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Reads from `socket` until `predicate` holds on all that arrived (5 s at most). */
function readUntil(socket: Socket, predicate: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => done(new Error(`timed out; got ${JSON.stringify(text)}`)), 5_000);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString("utf8");
      if (predicate(text)) done(null);
    };
    const onClose = (): void => done(predicate(text) ? null : new Error(`closed; got ${JSON.stringify(text)}`));
    function done(error: Error | null): void {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      if (error) reject(error);
      else resolve(text);
    }
    socket.on("data", onData);
    socket.on("close", onClose);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));
}

/** Sends raw bytes to the proxy socket; `head` is all that came back until `until` held (default: a whole response head). */
async function rawRequest(socketPath: string, text: string, until = (t: string) => t.includes("\r\n\r\n")): Promise<{ head: string; status: number; socket: Socket }> {
  const socket = connect(socketPath);
  socket.on("error", () => undefined);
  socket.write(text);
  const head = await readUntil(socket, until);
  return { head, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), socket };
}

const connectTo = (socketPath: string, authority: string) => rawRequest(socketPath, `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);

describe("EgressProxy (real sockets on loopback)", () => {
  let dir: string;
  let echo: Server;
  let echoPort: number;
  let web: HttpServer;
  let webPort: number;
  let lastHeaders: IncomingHttpHeaders = {};
  let closedPort: number;
  let proxy: EgressProxy | undefined;
  const proxies: EgressProxy[] = [];
  const start = async (o: Partial<Parameters<typeof EgressProxy.start>[0]> = {}): Promise<EgressProxy> => {
    const p = await EgressProxy.start({ socketPath: join(dir, "proxy.sock"), allow: [`127.0.0.1:${echoPort}`, `127.0.0.1:${webPort}`], ...o });
    proxies.push(p);
    return p;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "egress-"));
    echo = echoServer();
    echoPort = await listenTcp(echo);
    web = createHttpServer((req, res) => {
      lastHeaders = req.headers;
      res.writeHead(201, { "content-type": "text/plain", "x-from-upstream": "yes", "proxy-authenticate": "Basic", "keep-alive": "timeout=5" });
      req.on("data", () => undefined);
      req.on("end", () => res.end(`hello ${req.method} ${req.url}`));
    });
    webPort = await listenTcp(web);
    const spare = createServer();
    closedPort = await listenTcp(spare);
    await new Promise((resolve) => spare.close(resolve));
  });

  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((p) => p.close()));
    proxy = undefined;
  });

  afterAll(async () => {
    echo.close();
    web.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("tunnels CONNECT to an explicitly allowed 127.0.0.1:PORT, bytes both ways, half-close included", async () => {
    proxy = await start();
    const { status, socket } = await connectTo(join(dir, "proxy.sock"), `127.0.0.1:${echoPort}`);
    expect(status).toBe(200);
    socket.write("ping");
    expect(await readUntil(socket, (t) => t.includes("echo:ping"))).toContain("echo:ping");
    socket.write("x".repeat(100_000));
    const big = await readUntil(socket, (t) => t.split("x").length - 1 >= 100_000);
    expect(big.length).toBeGreaterThanOrEqual(100_000);
    socket.end();
    expect(await readUntil(socket, (t) => t.endsWith("bye"))).toMatch(/bye$/);
    expect(proxy.denied).toEqual([]);
  });

  it("refuses CONNECT to a host not on the allowlist with 403, and lists it once in `denied`", async () => {
    const seen: string[] = [];
    proxy = await start({ onDenied: (what) => seen.push(what) });
    for (let i = 0; i < 3; i++) {
      const { status, head, socket } = await connectTo(join(dir, "proxy.sock"), "evil.example:443");
      expect(status).toBe(403);
      expect(head).toContain("HTTP/1.1 403 Forbidden");
      socket.destroy();
    }
    const other = await connectTo(join(dir, "proxy.sock"), "127.0.0.1:6379");
    expect(other.status).toBe(403);
    other.socket.destroy();
    expect(proxy.denied).toEqual(["evil.example:443", "127.0.0.1:6379"]);
    expect(seen).toEqual(["evil.example:443", "127.0.0.1:6379"]);
  });

  it.each([
    [["127.0.0.1"], "loopback"],
    [["169.254.169.254"], "link-local"],
    [["::1"], "loopback"],
    [["::ffff:127.0.0.1"], "loopback"],
    [["fdaa:0:1::3"], "unique-local"],
    [["10.1.2.3"], "private"],
    [["100.64.0.1"], "cgnat"],
    [["0.0.0.0"], "unspecified"],
    [["8.8.8.8", "192.168.1.1"], "private"],
  ])("refuses an allowed name that resolves to %j (%s) without connecting", async (addresses, cls) => {
    const lookups: string[] = [];
    proxy = await start({ allow: ["api.allowed.test"], lookup: async (host) => (lookups.push(host), addresses) });
    const { status, head, socket } = await connectTo(join(dir, "proxy.sock"), "API.Allowed.Test:443");
    socket.destroy();
    expect(status).toBe(403);
    expect(head).toContain(`non-public address (${cls})`);
    expect(lookups).toEqual(["api.allowed.test"]);
    expect(proxy.denied).toEqual(["api.allowed.test:443"]);
  });

  it("answers 502 (not a denial) when the name does not resolve or the target refuses", async () => {
    proxy = await start({ allow: ["gone.test", `127.0.0.1:${closedPort}`], lookup: async () => Promise.reject(new Error("ENOTFOUND")) });
    const lookupFailed = await connectTo(join(dir, "proxy.sock"), "gone.test:443");
    expect(lookupFailed.status).toBe(502);
    lookupFailed.socket.destroy();
    const refused = await connectTo(join(dir, "proxy.sock"), `127.0.0.1:${closedPort}`);
    expect(refused.status).toBe(502);
    refused.socket.destroy();
    expect(proxy.denied).toEqual([]);
  });

  it("forwards absolute-form plain HTTP to an allowed target without hop-by-hop or Proxy-* headers", async () => {
    proxy = await start();
    const authority = `127.0.0.1:${webPort}`;
    const { head: text, status } = await rawRequest(
      join(dir, "proxy.sock"),
      `POST http://${authority}/path?q=1 HTTP/1.1\r\nHost: ignored.example\r\nProxy-Authorization: Basic c2VjcmV0\r\nProxy-Connection: keep-alive\r\n` +
        `Connection: close, X-Hop\r\nX-Hop: drop-me\r\nKeep-Alive: 5\r\nX-Kept: yes\r\nContent-Length: 4\r\n\r\nbody`,
      (t) => t.includes("hello POST /path?q=1"),
    );
    const head = text.slice(0, text.indexOf("\r\n\r\n")).toLowerCase();
    expect(status).toBe(201);
    expect(text).toContain("hello POST /path?q=1");
    expect(head).toContain("x-from-upstream: yes");
    expect(head).not.toContain("proxy-authenticate");
    expect(head).not.toContain("keep-alive: timeout");
    expect(lastHeaders.host).toBe(authority);
    expect(lastHeaders["x-kept"]).toBe("yes");
    expect(lastHeaders["content-length"]).toBe("4");
    for (const name of ["proxy-authorization", "proxy-connection", "x-hop", "keep-alive"]) expect(lastHeaders[name]).toBeUndefined();
  });

  it("refuses plain HTTP to a denied host or a name resolving to metadata, and malformed or oversized requests", async () => {
    proxy = await start({ allow: [`127.0.0.1:${webPort}`, "meta.test"], lookup: async () => ["169.254.169.254"] });
    const socketPath = join(dir, "proxy.sock");
    const ask = async (text: string): Promise<number> => {
      const r = await rawRequest(socketPath, text);
      r.socket.destroy();
      return r.status;
    };
    expect(await ask("GET http://evil.example/x HTTP/1.1\r\nHost: evil.example\r\n\r\n")).toBe(403);
    expect(await ask("GET http://meta.test/latest/meta-data/ HTTP/1.1\r\nHost: meta.test\r\n\r\n")).toBe(403);
    expect(await ask(`GET http://127.0.0.1:6379/ HTTP/1.1\r\nHost: x\r\n\r\n`)).toBe(403);
    expect(await ask("GET /relative HTTP/1.1\r\nHost: x\r\n\r\n")).toBe(400);
    expect(await ask(`GET https://127.0.0.1:${webPort}/ HTTP/1.1\r\nHost: x\r\n\r\n`)).toBe(400);
    expect(await ask(`GET http://user:pw@127.0.0.1:${webPort}/ HTTP/1.1\r\nHost: x\r\n\r\n`)).toBe(400);
    expect(await ask("CONNECT api.anthropic.com HTTP/1.1\r\nHost: x\r\n\r\n")).toBe(400);
    expect(await ask("CONNECT user@api.anthropic.com:443 HTTP/1.1\r\nHost: x\r\n\r\n")).toBe(400);
    expect(await ask("NONSENSE\r\n\r\n")).toBe(400);
    expect(await ask(`GET http://127.0.0.1:${webPort}/ HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`)).toBe(431);
    expect(proxy.denied).toEqual(["evil.example:80", "meta.test:80", "127.0.0.1:6379"]);
  });

  it("pipes each connection on a forward socket to its 127.0.0.1 port", async () => {
    const fwd = join(dir, `fwd-${echoPort}.sock`);
    proxy = await start({ forwards: [{ socketPath: fwd, port: echoPort }] });
    const socket = connect(fwd);
    socket.end("hi");
    expect(await readUntil(socket, (t) => t === "echo:hibye")).toBe("echo:hibye");
  });

  it("close() ends open tunnels and forwards, and stops listening", async () => {
    const fwd = join(dir, "fwd.sock");
    proxy = await start({ forwards: [{ socketPath: fwd, port: echoPort }] });
    const tunnel = await connectTo(join(dir, "proxy.sock"), `127.0.0.1:${echoPort}`);
    expect(tunnel.status).toBe(200);
    const forward = connect(fwd);
    forward.on("error", () => undefined);
    forward.write("a");
    await readUntil(forward, (t) => t === "echo:a");
    await proxy.close();
    await Promise.all([closed(tunnel.socket), closed(forward)]);
    const late = connect(join(dir, "proxy.sock"));
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => late.once("error", resolve));
    expect(["ENOENT", "ECONNREFUSED"]).toContain(error.code);
  });

  it("cuts a tunnel that stays idle", async () => {
    proxy = await start({ idleTimeoutMs: 300 });
    const tunnel = await connectTo(join(dir, "proxy.sock"), `127.0.0.1:${echoPort}`);
    expect(tunnel.status).toBe(200);
    const t0 = Date.now();
    await closed(tunnel.socket);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it("refuses to start with an invalid allowlist entry or a socket path the kernel would truncate", async () => {
    await expect(start({ allow: ["10.0.0.5"] })).rejects.toThrow(/explicit port/);
    await expect(start({ socketPath: join(dir, "x".repeat(120)) })).rejects.toThrow(/longer than 107 bytes/);
    expect(existsSync(join(dir, "proxy.sock"))).toBe(false);
  });

  it("replaces a stale socket file left by a killed process, but never a regular file", async () => {
    const stale = join(dir, "stale.sock");
    const killed = spawnSync(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, "SIGKILL"))`], { timeout: 10_000 });
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(stale)).toBe(true);
    proxy = await start({ socketPath: stale });
    expect((await connectTo(stale, `127.0.0.1:${echoPort}`)).status).toBe(200);
    const file = join(dir, "not-a-socket");
    await writeFile(file, "keep");
    await expect(start({ socketPath: file })).rejects.toThrow(/EADDRINUSE/);
  });
});
