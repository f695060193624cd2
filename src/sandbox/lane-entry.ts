/**
 * The first process inside a sandbox that has egress (run as `node dist/sandbox/lane-entry.js --bridge
 * 127.0.0.1:3128=/run/agent-race/proxy.sock … -- cmd arg…`). The sandbox's network namespace has only
 * loopback: each bridge listens on an in-sandbox loopback port and pipes every connection to a unix
 * socket that the host side (EgressProxy) serves. Once all bridges listen, it runs the command with
 * inherited stdio and environment (less ALL_PROXY: there is no SOCKS proxy), passes SIGTERM, SIGINT and
 * SIGHUP on to it, and exits as it did: with its exit code, or killed by the same signal.
 *
 * It imports only node:net, node:child_process and node:os, to start fast and stay small. Exit codes
 * of its own: 125 bad arguments or a bridge that cannot listen, 126 command not executable, 127 not found.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer, type Server } from "node:net";
import { constants } from "node:os";

interface Bridge {
  host: string;
  port: number;
  socketPath: string;
}

const BRIDGE = /^(127\.0\.0\.1|\[::1\]):(\d{1,5})=(\/.+)$/;
const FORWARDED = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

function fail(message: string, code: number): never {
  process.stderr.write(`lane-entry: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv: readonly string[]): { bridges: Bridge[]; command: string[] } {
  const bridges: Bridge[] = [];
  let i = 0;
  for (; i < argv.length && argv[i] !== "--"; i += 2) {
    const spec = argv[i + 1];
    if (argv[i] !== "--bridge" || spec === undefined) fail(`unexpected argument ${JSON.stringify(argv[i])}; usage: --bridge 127.0.0.1:PORT=/path.sock … -- command [args…]`, 125);
    const match = BRIDGE.exec(spec);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) fail(`invalid bridge ${JSON.stringify(spec)}; expected 127.0.0.1:PORT=/absolute/path.sock`, 125);
    bridges.push({ host: (match[1] as string).replace(/^\[|\]$/g, ""), port, socketPath: match[3] as string });
  }
  const command = argv.slice(i + 1);
  if (argv[i] !== "--" || command.length === 0) fail("no command after --", 125);
  return { bridges, command };
}

function listen(bridge: Bridge): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ path: bridge.socketPath, allowHalfOpen: true });
    const kill = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", kill);
    upstream.on("error", kill);
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: bridge.host, port: bridge.port }, () => resolve(server));
  });
}

/** Dies of `signal` as the child did; where that cannot kill (pid 1 of a namespace), exits 128+n. */
function reraise(signal: NodeJS.Signals): void {
  process.removeAllListeners(signal);
  const fallback = 128 + (constants.signals[signal] ?? 0);
  setTimeout(() => process.exit(fallback), 200);
  process.kill(process.pid, signal);
}

async function main(): Promise<void> {
  const { bridges, command } = parseArgs(process.argv.slice(2));
  let child: ChildProcess | undefined;
  for (const signal of FORWARDED) {
    process.on(signal, () => (child ? child.kill(signal) : reraise(signal)));
  }
  const servers = await Promise.all(bridges.map(listen)).catch((error: unknown) =>
    fail(`cannot start bridge: ${error instanceof Error ? error.message : String(error)}`, 125),
  );
  const env = { ...process.env };
  delete env.ALL_PROXY;
  delete env.all_proxy;
  const [file, ...args] = command as [string, ...string[]];
  child = spawn(file, args, { stdio: "inherit", env });
  child.on("error", (error: NodeJS.ErrnoException) => {
    fail(`cannot run ${JSON.stringify(file)}: ${error.message}`, error.code === "ENOENT" ? 127 : 126);
  });
  child.on("exit", (code, signal) => {
    for (const server of servers) server.close();
    if (signal) reraise(signal);
    else process.exit(code ?? 1);
  });
}

void main();
