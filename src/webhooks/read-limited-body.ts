import type { IncomingMessage } from "node:http";

/** The outcome of reading a request body under a cap. */
export type LimitedBody = { kind: "ok"; body: Buffer } | { kind: "too-large"; bytes: number } | { kind: "aborted" };

/**
 * Reads a request body, counting bytes as they arrive, and stops keeping them the moment the
 * count passes `limit` (a chunked body has no Content-Length to check up front). The caller
 * answers "too-large" and closes the connection; the bytes read so far are dropped.
 */
export function readLimitedBody(req: IncomingMessage, limit: number): Promise<LimitedBody> {
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let bytes = 0;
    const done = (result: LimitedBody): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("aborted", onAbort);
      chunks = [];
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) {
        req.pause();
        done({ kind: "too-large", bytes });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      const body = Buffer.concat(chunks, bytes);
      done({ kind: "ok", body });
    };
    const onAbort = (): void => done({ kind: "aborted" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("aborted", onAbort);
  });
}
