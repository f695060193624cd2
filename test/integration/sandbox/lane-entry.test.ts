import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type AddressInfo, type Server } from "node:net";
import { freePort } from "../../helpers/free-port.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EgressProxy } from "../../../src/sandbox/egress-proxy.js";
import { laneEntryPath } from "../../../src/sandbox/lane-entry-path.js";

const ENTRY = laneEntryPath();

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Resolves once stdout contains `text`. */
  saw(text: string): Promise<void>;
}

/** Runs the built lane entry (unsandboxed) with `args`; killed after 20 s. */
function runEntry(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [ENTRY, ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    for (const w of waiters.filter((w) => stdout.includes(w.text))) w.resolve();
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  const saw = (text: string): Promise<void> => (stdout.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve })));
  return { child, done, saw };
}

/** The sandboxed side: plain HTTP and CONNECT through the proxy bridge, and a raw connection to the forward bridge. */
const CLIENT = `
const http = require("node:http"), net = require("node:net");
const [proxyPort, fwdPort, webPort, echoPort] = process.argv.slice(1).map(Number);
const get = () => new Promise((resolve, reject) => {
  http.get({ host: "127.0.0.1", port: proxyPort, path: "http://127.0.0.1:" + webPort + "/via-bridge" }, (res) => {
    let body = ""; res.on("data", (d) => body += d); res.on("end", () => resolve(res.statusCode + " " + body));
  }).on("error", reject);
});
const tunnel = (authority) => new Promise((resolve, reject) => {
  const req = http.request({ host: "127.0.0.1", port: proxyPort, method: "CONNECT", path: authority });
  req.on("connect", (res, socket) => {
    if (res.statusCode !== 200) { socket.destroy(); return resolve(String(res.statusCode)); }
    socket.end("ping"); let text = ""; socket.on("data", (d) => text += d); socket.on("close", () => resolve(text));
  });
  req.on("error", reject); req.end();
});
const forward = () => new Promise((resolve, reject) => {
  const s = net.connect(fwdPort, "127.0.0.1"); let text = "";
  s.on("data", (d) => text += d); s.on("close", () => resolve(text)); s.on("error", reject); s.end("hi");
});
(async () => {
  const out = { http: await get(), tunnel: await tunnel("127.0.0.1:" + echoPort), denied: await tunnel("evil.example:443"), forward: await forward(), allProxy: process.env.ALL_PROXY ?? null, httpsProxy: process.env.HTTPS_PROXY ?? null };
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(9); });
`;

describe.skipIf(!existsSync(ENTRY))("lane entry (built dist/sandbox/lane-entry.js, unsandboxed)", () => {
  let dir: string;
  let echo: Server;
  let echoPort: number;
  let web: HttpServer;
  let webPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lane-entry-"));
    echo = createServer({ allowHalfOpen: true }, (s) => {
      s.on("data", (d) => s.write(`echo:${d}`));
      s.on("end", () => s.end());
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoPort = (echo.address() as AddressInfo).port;
    web = createHttpServer((_req, res) => res.end("hello from the host"));
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    webPort = (web.address() as AddressInfo).port;
  });

  afterAll(async () => {
    echo.close();
    web.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("bridges in-sandbox loopback ports to the host-side proxy and forward sockets before the command starts", async () => {
    const proxySock = join(dir, "proxy.sock");
    const fwdSock = join(dir, "fwd.sock");
    const proxy = await EgressProxy.start({ socketPath: proxySock, allow: [`127.0.0.1:${webPort}`, `127.0.0.1:${echoPort}`], forwards: [{ socketPath: fwdSock, port: echoPort }] });
    try {
      const [proxyPort, fwdPort] = [await freePort(), await freePort()];
      const run = runEntry(
        ["--bridge", `127.0.0.1:${proxyPort}=${proxySock}`, "--bridge", `127.0.0.1:${fwdPort}=${fwdSock}`, "--", process.execPath, "-e", CLIENT, String(proxyPort), String(fwdPort), String(webPort), String(echoPort)],
        { ALL_PROXY: "socks5://127.0.0.1:1080", HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` },
      );
      const result = await run.done;
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        http: "200 hello from the host",
        tunnel: "echo:ping",
        denied: "403",
        forward: "echo:hi",
        allProxy: null,
        httpsProxy: `http://127.0.0.1:${proxyPort}`,
      });
      expect(proxy.denied).toEqual(["evil.example:443"]);
    } finally {
      await proxy.close();
    }
  });

  it("exits with the command's exit code", async () => {
    const result = await runEntry(["--", process.execPath, "-e", "process.exit(7)"]).done;
    expect([result.code, result.signal]).toEqual([7, null]);
  });

  it("dies of the signal that killed the command", async () => {
    for (const signal of ["SIGKILL", "SIGTERM"] as const) {
      const result = await runEntry(["--", process.execPath, "-e", `process.kill(process.pid, "${signal}")`]).done;
      expect([result.code, result.signal]).toEqual([null, signal]);
    }
  });

  it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)("passes %s on to the command", async (signal) => {
    const run = runEntry(["--", process.execPath, "-e", `process.on("${signal}", () => { console.log("child got ${signal}"); process.exit(3); }); console.log("ready"); setInterval(() => {}, 1000);`]);
    await run.saw("ready");
    run.child.kill(signal);
    const result = await run.done;
    expect(result.stdout).toContain(`child got ${signal}`);
    expect([result.code, result.signal]).toEqual([3, null]);
  });

  it("refuses bad arguments (125), a bridge port already taken (125) and a missing command (127)", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const takenPort = (taken.address() as AddressInfo).port;
    try {
      const cases: [string[], number, RegExp][] = [
        [["--", ], 125, /no command/],
        [["/bin/true"], 125, /unexpected argument/],
        [["--bridge", "10.0.0.1:80=/x.sock", "--", "/bin/true"], 125, /invalid bridge/],
        [["--bridge", "127.0.0.1:0=/x.sock", "--", "/bin/true"], 125, /invalid bridge/],
        [["--bridge", "127.0.0.1:80=relative.sock", "--", "/bin/true"], 125, /invalid bridge/],
        [["--bridge", `127.0.0.1:${takenPort}=/x.sock`, "--", "/bin/true"], 125, /cannot start bridge.*EADDRINUSE/],
        [["--", "/nonexistent/command"], 127, /cannot run/],
      ];
      for (const [args, code, message] of cases) {
        const result = await runEntry(args).done;
        expect(result.code, args.join(" ")).toBe(code);
        expect(result.stderr).toMatch(message);
      }
    } finally {
      taken.close();
    }
  });
});
