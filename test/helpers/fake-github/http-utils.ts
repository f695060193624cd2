import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import type { FakeToken } from "./types.js";

export const DOCS_URL = "https://docs.github.com/rest";

/** A parsed REST/GraphQL request as handlers see it. */
export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The installation token used, when the route requires one. */
  token: FakeToken | null;
}

export interface ApiResponse {
  status: number;
  /** JSON-serialised unless `raw` is set. */
  body?: unknown;
  /** Sent verbatim as `text/plain; charset=utf-8` (or `contentType`). */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Thrown by handlers to produce an error response. */
export class HttpError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.body = { message, documentation_url: DOCS_URL, status: String(status), ...extra };
  }
}

export const notFound = (message = "Not Found"): HttpError => new HttpError(404, message);

/** 422 "Validation Failed" with GitHub's `errors` array. */
export function validationFailed(resource: string, field: string, code: string, message?: string): HttpError {
  const error: Record<string, string> = { resource, field, code };
  if (message) error.message = message;
  return new HttpError(422, "Validation Failed", { errors: [error] });
}

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): ApiResponse =>
  headers ? { status, body, headers } : { status, body };

export const noContent = (): ApiResponse => ({ status: 204 });

/** Reads the whole body, undoing `Content-Encoding: gzip|deflate`. */
export async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = (req.headers["content-encoding"] ?? "").toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") return gunzipSync(raw);
  if (encoding === "deflate") return inflateSync(raw);
  return raw;
}

export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "Problems parsing JSON");
  }
}

export function rateLimitHeaders(): Record<string, string> {
  return {
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-used": "1",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    "x-ratelimit-resource": "core",
    "x-github-media-type": "github.v3; format=json",
  };
}

export function writeApiResponse(res: ServerResponse, response: ApiResponse): void {
  const headers: Record<string, string> = { ...rateLimitHeaders(), ...response.headers };
  if (response.status === 204 || response.status === 304) {
    res.writeHead(response.status, headers).end();
    return;
  }
  if (response.raw !== undefined) {
    headers["content-type"] = response.contentType ?? "text/plain; charset=utf-8";
    res.writeHead(response.status, headers).end(response.raw);
    return;
  }
  headers["content-type"] = "application/json; charset=utf-8";
  res.writeHead(response.status, headers).end(JSON.stringify(response.body ?? {}));
}
