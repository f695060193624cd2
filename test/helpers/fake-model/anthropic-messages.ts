import { randomUUID } from "node:crypto";
import { fillCwd, tokensOf, type ModelRoute, type RouteReply, type ScriptStep } from "./model-server.js";

/**
 * The Anthropic Messages API as Claude Code uses it (`ANTHROPIC_BASE_URL`): `POST /v1/messages`
 * (SSE with `stream: true`, else one JSON message), `POST /v1/messages/count_tokens`,
 * `GET /v1/models`, and the reachability probe (`HEAD /`, `/api/hello`).
 *
 * The turn is the number of assistant messages in the request. A `tool` step answers one `tool_use`
 * block (Claude Code's own tool names: Read, Edit, Write, Bash …), `text` ends the turn, `error`
 * answers the API's error JSON with that status, `silent` never answers. A request without tools (a
 * title or summary side call) gets the text "ok". Every answered request is counted with the exact
 * usage it carried: input = tokensOf(request body), output = tokensOf(content blocks), no cache.
 */
export function anthropicMessages(): ModelRoute {
  return ({ method, path, body, raw }, reply) => {
    if (method === "POST" && path === "/v1/messages") {
      answerMessages(asRecord(body), raw, reply);
      return true;
    }
    if (method === "POST" && path === "/v1/messages/count_tokens") {
      reply.json(200, { input_tokens: tokensOf(raw) });
      return true;
    }
    if (method === "GET" && path.startsWith("/v1/models")) {
      reply.json(200, { data: [{ type: "model", id: "claude-haiku-4-5", display_name: "Stand-in", created_at: "2025-10-01T00:00:00Z" }], has_more: false, first_id: "claude-haiku-4-5", last_id: "claude-haiku-4-5" });
      return true;
    }
    if ((method === "HEAD" || method === "GET") && (path === "/" || path === "/api/hello")) {
      reply.json(200, {});
      return true;
    }
    return false;
  };
}

type Block = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** The error `type` the real API names for a status. */
const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

const ERROR_MESSAGES: Record<number, string> = {
  401: "invalid x-api-key",
  429: "Number of request tokens has exceeded your per-minute rate limit",
  529: "Overloaded",
};

function answerMessages(body: Record<string, unknown>, raw: string, reply: RouteReply): void {
  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  const turn = messages.filter((m) => asRecord(m).role === "assistant").length;
  const step: ScriptStep = hasTools ? reply.step(turn) : { text: "ok" };
  if ("silent" in step) return reply.hang();
  if ("error" in step) {
    const { status } = step.error;
    reply.res.writeHead(status, { "content-type": "application/json", "request-id": `req_standin_${randomUUID()}` });
    reply.res.end(JSON.stringify({
      type: "error",
      error: { type: step.error.type ?? ERROR_TYPES[status] ?? "api_error", message: step.error.message ?? ERROR_MESSAGES[status] ?? `stand-in error ${status}` },
      request_id: `req_standin_${randomUUID()}`,
    }));
    return;
  }
  const cwd = findCwd(body);
  const blocks: Block[] = "tool" in step
    ? [{ type: "tool_use", id: `toolu_standin_${randomUUID().replaceAll("-", "")}`, name: step.tool, input: fillCwd(step.input, cwd) }]
    : [{ type: "text", text: fillCwd(step.text, cwd) }];
  const stop = "tool" in step ? "tool_use" : "end_turn";
  const input = tokensOf(raw);
  const output = tokensOf(JSON.stringify(blocks));
  reply.count(input, output);
  const id = `msg_standin_${randomUUID().replaceAll("-", "")}`;
  const model = typeof body.model === "string" ? body.model : "claude-haiku-4-5";
  const usage = { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  if (body.stream !== true) {
    reply.json(200, { id, type: "message", role: "assistant", model, content: blocks, stop_reason: stop, stop_sequence: null, usage });
    return;
  }
  const { res } = reply;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", "request-id": `req_standin_${randomUUID()}` });
  const event = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  // As the real API: message_start carries the input tokens, message_delta the final (cumulative) output count.
  event("message_start", { message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 0 } } });
  for (const [index, block] of blocks.entries()) {
    if (block.type === "text") {
      event("content_block_start", { index, content_block: { type: "text", text: "" } });
      event("content_block_delta", { index, delta: { type: "text_delta", text: block.text } });
    } else {
      event("content_block_start", { index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } });
      event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } });
    }
    event("content_block_stop", { index });
  }
  event("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: output } });
  event("message_stop", {});
  res.end();
}

/**
 * The working directory Claude Code names in its environment section (" - Primary working directory:
 * /workspace"), which is in the system prompt or, for some models, the first user message.
 */
function findCwd(body: Record<string, unknown>): string {
  const system = typeof body.system === "string" ? body.system : Array.isArray(body.system) ? body.system.map((b) => String(asRecord(b).text ?? "")).join("\n") : "";
  const haystack = `${system}\n${JSON.stringify(body.messages ?? [])}`;
  const match = /Primary working directory:\s*(\/[^\s"'\\<>`]+)/.exec(haystack) ?? /current working directory is (\/[^\s"'\\<>`]+)/.exec(haystack);
  return match?.[1]?.replace(/[.,;:]+$/, "") ?? "/";
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
