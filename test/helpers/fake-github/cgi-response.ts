import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";

/** Splits a CGI header block into a status code and headers (`Status:` is consumed). */
export function parseCgiHeaders(block: string): { status: number; headers: Array<[string, string]> } {
  let status = 200;
  const headers: Array<[string, string]> = [];
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
    else headers.push([name, value]);
  }
  return { status, headers };
}

/**
 * Streams a CGI program's stdout to `res`: buffers until the blank line that ends the headers,
 * writes the status and headers, then pipes the body. Resolves with the status code sent.
 */
export function pipeCgiResponse(stdout: Readable, res: ServerResponse): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const crlf = buffered.indexOf("\r\n\r\n");
      const lf = buffered.indexOf("\n\n");
      const end = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf + 4 : lf !== -1 ? lf + 2 : -1;
      if (end === -1) return;
      stdout.off("data", onData);
      stdout.off("end", onEndEarly);
      const { status, headers } = parseCgiHeaders(buffered.subarray(0, end).toString("latin1"));
      res.statusCode = status;
      for (const [name, value] of headers) res.appendHeader(name, value);
      const rest = buffered.subarray(end);
      if (rest.length > 0) res.write(rest);
      stdout.pipe(res);
      resolve(status);
    };
    const onEndEarly = (): void => {
      stdout.off("data", onData);
      reject(new Error(`CGI program ended before its headers were complete: ${buffered.toString("utf8").slice(0, 200)}`));
    };
    stdout.on("data", onData);
    stdout.once("end", onEndEarly);
    stdout.once("error", reject);
  });
}
