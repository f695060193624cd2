import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * One step of a stand-in model's script. A stand-in answers the N-th model turn of a session (N =
 * the assistant/model messages already in the request) with step N, so it is stateless and serves
 * any number of lanes at once. Past the last step it answers the text "done".
 * - `tool`: call this tool (the CLI's own tool name) with this input; `{cwd}` in any string becomes
 *   the working directory the CLI names in its prompt.
 * - `text`: answer this text and end the turn.
 * - `error`: answer this HTTP status (401, 429, 500 …) with the API's error body. With `times`, the
 *   error is transient: the first `times` requests (of all sessions) that reach the next step get
 *   it, later ones that step itself; it takes no turn of its own (see `RouteReply.step`).
 * - `silent`: accept the request and never answer (the lane timeout must end the CLI).
 */
export type ScriptStep =
  | { tool: string; input: Record<string, unknown> }
  | { text: string }
  | { error: { status: number; message?: string; type?: string; times?: number } }
  | { silent: true };

/** A request the stand-in received: path, headers (keys redacted to a prefix) and JSON body. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** When it arrived (Date.now()). */
  at: number;
}

/** Token usage the stand-in served, summed over every answer it streamed. */
export interface ServedUsage {
  inputTokens: number;
  outputTokens: number;
  answers: number;
}

export interface ModelServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  requests: SeenRequest[];
  served: ServedUsage;
  /** Replaces the script (for the next requests). */
  setScript(steps: ScriptStep[]): void;
  close(): Promise<void>;
}

/** What one API's module answers: called with the parsed body; returns false for "not my route". */
export type ModelRoute = (request: { method: string; path: string; body: unknown; raw: string }, reply: RouteReply) => boolean;

export interface RouteReply {
  res: ServerResponse;
  script: () => ScriptStep[];
  /**
   * The step for model turn `turn`, transient errors (`error.times`) included: each answers the
   * turn of the step after it until it has been served `times` times (it counts this call).
   */
  step(turn: number): ScriptStep;
  /** Adds to `served` (call once per answered model turn). */
  count(input: number, output: number): void;
  json(status: number, body: unknown): void;
  /** Holds the connection open, unanswered, until the server closes. */
  hang(): void;
}

const REDACTED = new Set(["x-api-key", "authorization", "x-goog-api-key", "api-key"]);

/** Starts a loopback HTTP server that answers with `routes` (first that claims the request). */
export async function startModelServer(routes: ModelRoute[], steps: ScriptStep[] = []): Promise<ModelServer> {
  let script = steps;
  const requests: SeenRequest[] = [];
  const served: ServedUsage = { inputTokens: 0, outputTokens: 0, answers: 0 };
  const hanging = new Set<ServerResponse>();
  /** How often each transient error step (by its index in the script) has been answered. */
  const spent = new Map<number, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = null;
      try {
        body = raw ? (JSON.parse(raw) as unknown) : null;
      } catch {
        body = raw;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        const text = Array.isArray(value) ? value.join(", ") : (value ?? "");
        headers[name] = REDACTED.has(name) ? `${text.slice(0, 12)}…` : text;
      }
      const method = req.method ?? "GET";
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      requests.push({ method, path, headers, body, at: Date.now() });
      const reply: RouteReply = {
        res,
        script: () => script,
        step: (turn) => transientStepAt(script, turn, spent),
        count(input, output) {
          served.inputTokens += input;
          served.outputTokens += output;
          served.answers += 1;
        },
        json(status, value) {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(value));
        },
        hang() {
          hanging.add(res);
          res.on("close", () => hanging.delete(res));
        },
      };
      for (const route of routes) if (route({ method, path, body, raw }, reply)) return;
      reply.json(404, { error: { message: `stand-in: no route for ${method} ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    served,
    setScript(next) {
      script = next;
      spent.clear();
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Replaces `{cwd}` in every string of a step's input. */
export function fillCwd<T>(value: T, cwd: string): T {
  if (typeof value === "string") return value.replaceAll("{cwd}", cwd) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => fillCwd(item, cwd)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillCwd(item, cwd)])) as T;
  return value;
}

/** The step for model turn `turn` (past the end: the text "done"). */
export function stepAt(script: ScriptStep[], turn: number): ScriptStep {
  return script[turn] ?? { text: "done" };
}

function transientStepAt(script: ScriptStep[], turn: number, spent: Map<number, number>): ScriptStep {
  let steps = 0;
  for (const [index, step] of script.entries()) {
    const times = "error" in step ? step.error.times : undefined;
    if (times === undefined) {
      if (steps++ === turn) return step;
      continue;
    }
    if (steps !== turn || (spent.get(index) ?? 0) >= times) continue;
    spent.set(index, (spent.get(index) ?? 0) + 1);
    return step;
  }
  return { text: "done" };
}

/** A rough, deterministic token count for a text (4 characters a token), at least 1. */
export function tokensOf(text: string): number {
  return Math.max(1, Math.round(text.length / 4));
}
