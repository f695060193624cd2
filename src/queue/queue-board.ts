import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import express from "express";

/** bull-board's UI links a web font; the CSP keeps the page off the network (system fonts instead). */
const BOARD_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

function board(queues: readonly Queue[], basePath: string, readOnlyMode: boolean): NodeHandler {
  const serverAdapter = new ExpressAdapter().setBasePath(basePath);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode })),
    // @bull-board/express 9.10.1 nests its own @bull-board/api 9.10.1 whose types differ only by private
    // fields from the top-level 9.10.2; the adapter is the same at runtime.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]["serverAdapter"],
    options: { uiConfig: { boardTitle: readOnlyMode ? "agent-race queues (read-only)" : "agent-race queues" } },
  });
  const app = express();
  app.disable("x-powered-by");
  app.use(basePath, serverAdapter.getRouter() as express.Router);
  return (req, res) => {
    res.setHeader("content-security-policy", BOARD_CSP);
    res.setHeader("x-frame-options", "DENY");
    app(req, res);
  };
}

/**
 * bull-board under `basePath` (the dashboard's `/agent-race/queues`): a full board (retry, clean, …)
 * and a read-only one. The dashboard serves it behind its access check (`serve` is its `QueueBoardHandler`).
 */
export class QueueBoard {
  private readonly full: NodeHandler;
  private readonly readOnly: NodeHandler;

  constructor(queues: readonly Queue[], basePath: string) {
    this.full = board(queues, basePath, false);
    this.readOnly = board(queues, basePath, true);
  }

  serve(req: IncomingMessage, res: ServerResponse, access: "full" | "read-only"): void {
    (access === "full" ? this.full : this.readOnly)(req, res);
  }
}
