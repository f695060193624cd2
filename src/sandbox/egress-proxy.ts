import { chmod, lstat, unlink } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { connect, createServer as createNetServer, type Server, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { answerRaw } from "./answer-raw.js";
import { EgressAllowlist } from "./egress-allowlist.js";
import { forwardHttpRequest } from "./forward-http-request.js";
import { parseEgressTarget, type EgressTarget } from "./parse-egress-target.js";
import { resolveEgressTarget, systemLookup, type HostLookup } from "./resolve-egress-target.js";

export interface EgressProxyOptions {
  /** The unix socket the HTTP proxy listens on (bind-mounted into the sandbox). */
  socketPath: string;
  /** Allowlist entries (see EgressAllowlist); an invalid entry makes `start` throw. */
  allow: readonly string[];
  /** Unix sockets that each pipe every connection to the host's 127.0.0.1:`port` (an operator's local gateway). */
  forwards?: readonly { socketPath: string; port: number }[];
  /** Resolves a name to all its addresses; the system resolver by default. */
  lookup?: HostLookup;
  /** Called once per refused target (`host:port`), the first time it is refused. */
  onDenied?: ((what: string) => void) | undefined;
  /** A tunnel, request or forward with no traffic for this long is cut. Default 5 min. */
  idleTimeoutMs?: number;
}

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_CONNECTIONS = 256;
const MAX_DENIED = 1000;
const CONNECT_TIMEOUT_MS = 15_000;
/** The kernel's limit for a unix socket path (sun_path is 108 bytes with the trailing NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

/**
 * The host side of a sandbox's network: an HTTP proxy on a unix socket that tunnels `CONNECT host:port`
 * and forwards absolute-form `http://` requests, only to allowlisted targets whose names resolve to
 * public addresses, plus plain forwards to configured loopback gateways. Nothing else is reachable:
 * the sandbox has no network of its own.
 */
export class EgressProxy {
  private readonly refused = new Set<string>();
  private readonly sockets = new Set<Duplex>();
  private readonly servers: (Server | HttpServer)[] = [];
  private closed = false;

  private constructor(
    private readonly allowlist: EgressAllowlist,
    private readonly lookup: HostLookup,
    private readonly idleMs: number,
    private readonly onDenied: ((what: string) => void) | undefined,
  ) {}

  static async start(o: EgressProxyOptions): Promise<EgressProxy> {
    const proxy = new EgressProxy(EgressAllowlist.parse(o.allow), o.lookup ?? systemLookup, o.idleTimeoutMs ?? 300_000, o.onDenied);
    try {
      await proxy.listen(proxy.httpServer(), o.socketPath);
      for (const forward of o.forwards ?? []) await proxy.listen(proxy.forwardServer(forward.port), forward.socketPath);
    } catch (error) {
      await proxy.close();
      throw error;
    }
    return proxy;
  }

  /** The targets refused so far (`host:port`, IPv6 in brackets), each once, in order. */
  get denied(): readonly string[] {
    return [...this.refused];
  }

  /** Stops listening and ends every open connection and tunnel. */
  async close(): Promise<void> {
    this.closed = true;
    const closed = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await Promise.all(closed);
  }

  private httpServer(): HttpServer {
    // Headers must arrive within 10 s (slowloris); after that, a connection idle for `idleMs` is cut.
    const server = createHttpServer({ maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: Math.min(10_000, this.idleMs), requestTimeout: 0, keepAliveTimeout: 5_000 });
    server.setTimeout(this.idleMs);
    server.maxConnections = MAX_CONNECTIONS;
    server.on("connection", (socket: Socket) => this.track(socket));
    server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.tunnel(req, socket, head));
    server.on("request", (req: IncomingMessage, res: ServerResponse) => void this.forwardRequest(req, res));
    server.on("upgrade", (_req: IncomingMessage, socket: Duplex) => answerRaw(socket, 501, "protocol upgrades are not proxied; use CONNECT"));
    server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
      const code = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
      answerRaw(socket, code, code === 431 ? "request headers too large" : code === 408 ? "request timed out" : "malformed request");
    });
    return server;
  }

  private forwardServer(port: number): Server {
    const server = createNetServer({ allowHalfOpen: true }, (client) => {
      this.track(client);
      this.pipe(client, this.track(connect({ host: "127.0.0.1", port, allowHalfOpen: true })));
    });
    server.maxConnections = MAX_CONNECTIONS;
    return server;
  }

  private async tunnel(req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
    const target = parseEgressTarget(req.url ?? "");
    if (target === null) return answerRaw(client, 400, "CONNECT needs host:port");
    const resolution = await resolveEgressTarget(target, this.allowlist, this.lookup, CONNECT_TIMEOUT_MS);
    if (!resolution.ok) {
      if (resolution.denied) this.deny(target);
      return answerRaw(client, resolution.status, `${describe(target)} ${resolution.reason}`);
    }
    if (client.destroyed) return;
    const upstream = this.track(connect({ host: resolution.address, port: target.port, timeout: CONNECT_TIMEOUT_MS, allowHalfOpen: true }));
    let connected = false;
    upstream.once("timeout", () => upstream.destroy(new Error("connect timeout")));
    upstream.once("error", () => {
      if (!connected) answerRaw(client, 502, `cannot connect to ${describe(target)}`);
    });
    upstream.once("connect", () => {
      connected = true;
      upstream.setTimeout(0);
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      this.pipe(client, upstream);
    });
  }

  private async forwardRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refuse = (status: number, reason: string): void => {
      res.writeHead(status, { "content-type": "text/plain", connection: "close" });
      res.end(`agent-race egress proxy: ${reason}\n`);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? "");
    } catch {
      return refuse(400, "expected an absolute http:// URL (use CONNECT for https)");
    }
    if (url.protocol !== "http:" || url.username !== "" || url.password !== "") return refuse(400, "only plain http:// URLs without credentials are forwarded; use CONNECT for https");
    const target = parseEgressTarget(url.host, 80);
    if (target === null) return refuse(400, "invalid host in URL");
    const resolution = await resolveEgressTarget(target, this.allowlist, this.lookup, CONNECT_TIMEOUT_MS);
    if (!resolution.ok) {
      if (resolution.denied) this.deny(target);
      return refuse(resolution.status, `${describe(target)} ${resolution.reason}`);
    }
    const path = `${url.pathname}${url.search}`;
    forwardHttpRequest(req, res, { address: resolution.address, port: target.port, authority: url.host, path }, this.idleMs, (socket) => this.track(socket));
  }

  /**
   * Pipes both ways. An end (FIN) is passed on after the data before it, so half-closed exchanges work;
   * an error, or either side staying idle for `idleMs`, destroys both at once.
   */
  private pipe(a: Duplex, b: Socket): void {
    const kill = (): void => {
      a.destroy();
      b.destroy();
    };
    a.on("error", kill);
    b.on("error", kill);
    a.on("close", () => b.end());
    b.on("close", () => a.end());
    // Both ends are sockets (the http server hands CONNECT its net.Socket).
    (a as Socket).setTimeout(this.idleMs, kill);
    b.setTimeout(this.idleMs, kill);
    a.pipe(b);
    b.pipe(a);
  }

  private track<T extends Duplex>(socket: T): T {
    // A lookup that was under way when close() ran must not open anything afterwards.
    if (this.closed) socket.destroy();
    else this.sockets.add(socket);
    socket.on("error", () => socket.destroy());
    socket.once("close", () => this.sockets.delete(socket));
    return socket;
  }

  private deny(target: EgressTarget): void {
    const what = describe(target);
    if (this.refused.has(what) || this.refused.size >= MAX_DENIED) return;
    this.refused.add(what);
    this.onDenied?.(what);
  }

  private async listen(server: Server | HttpServer, socketPath: string): Promise<void> {
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) throw new Error(`Egress socket path is longer than ${MAX_SOCKET_PATH_BYTES} bytes: ${socketPath}`);
    await removeStaleSocket(socketPath);
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socketPath, () => {
        server.off("error", reject);
        resolve();
      });
    });
    await chmod(socketPath, 0o600);
  }
}

function describe(target: EgressTarget): string {
  return `${target.family === 6 ? `[${target.host}]` : target.host}:${target.port}`;
}

/** Removes a leftover socket file at `path` (never a regular file or a directory). */
async function removeStaleSocket(path: string): Promise<void> {
  const stat = await lstat(path).catch(() => null);
  if (stat?.isSocket()) await unlink(path);
}
