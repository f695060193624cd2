import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import express from "express";

export const QUEUES_PATH = "/agent-race/queues";

/** bull-board's UI links a web font; the CSP keeps the page off the network (system fonts instead). */
const BOARD_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

function board(queues: readonly Queue[], readOnlyMode: boolean): NodeHandler {
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode })),
    // @bull-board/express 9.10.1 nests its own @bull-board/api 9.10.1 whose types differ only by private
    // fields from the top-level 9.10.2; the adapter is the same at runtime.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]["serverAdapter"],
    options: { uiConfig: { boardTitle: readOnlyMode ? "agent-race queues (read-only)" : "agent-race queues" } },
  });
  const app = express();
  app.disable("x-powered-by");
  app.use(QUEUES_PATH, serverAdapter.getRouter() as express.Router);
  return (req, res) => {
    res.setHeader("content-security-policy", BOARD_CSP);
    res.setHeader("x-frame-options", "DENY");
    app(req, res);
  };
}

/** bull-board at /agent-race/queues: a full board (retry, clean, …) and a read-only one. */
export class QueueBoard {
  private readonly full: NodeHandler;
  private readonly readOnly: NodeHandler;

  constructor(queues: readonly Queue[]) {
    this.full = board(queues, false);
    this.readOnly = board(queues, true);
  }

  serve(req: IncomingMessage, res: ServerResponse, access: "full" | "read-only"): void {
    (access === "full" ? this.full : this.readOnly)(req, res);
  }
}
