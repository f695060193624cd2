import type { ServerResponse } from "node:http";
import { fillCwd, tokensOf, type ModelRoute, type RouteReply } from "./model-server.js";

/**
 * The OpenAI Chat Completions API as OpenAI-compatible clients use it (opencode's
 * `@ai-sdk/openai-compatible`, Qwen Code's `openai` SDK): `POST …/chat/completions`, streamed as
 * SSE with `stream: true` (content or `tool_calls` deltas, then `usage` in a last chunk when
 * `stream_options.include_usage`) or one JSON completion, and `GET …/models`.
 *
 * The turn is the number of assistant messages in the request. A `tool` step answers one function
 * call (the CLI's own tool names: opencode's read/write/edit/bash, Qwen Code's read_file/edit/
 * run_shell_command …), `text` ends the turn, `error` answers the API's error JSON with that status
 * (a 429 says `retry-after-ms: 200`, as OpenAI does, so retries are quick), `silent` never answers.
 * A request without tools (a title side call) gets the text "ok" with zero usage (nothing when the
 * script starts with `silent`). Every answered
 * turn is counted with the usage it carried (input = tokensOf(request body), output =
 * tokensOf(the message)), when it carried one: a stream carries it only when asked to.
 */
export function chatCompletions(): ModelRoute {
  return ({ method, path, body, raw }, reply) => {
    if (method === "GET" && path.endsWith("/models")) {
      reply.json(200, { object: "list", data: [{ id: "stand-in", object: "model", created: 0, owned_by: "agent-race" }] });
      return true;
    }
    if (method !== "POST" || !path.endsWith("/chat/completions")) return false;
    answer(body && typeof body === "object" ? (body as ChatRequest) : {}, raw, reply);
    return true;
  };
}

interface ChatRequest {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: { role?: string; content?: unknown }[];
  tools?: unknown[];
}

interface AssistantMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
}

const ERROR_TYPES: Record<number, string> = { 400: "invalid_request_error", 401: "invalid_request_error", 404: "invalid_request_error", 429: "rate_limit_error" };
const ERROR_CODES: Record<number, string> = { 401: "invalid_api_key", 429: "rate_limit_exceeded" };

let sequence = 0;

function answer(request: ChatRequest, raw: string, reply: RouteReply): void {
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const sideCall = !Array.isArray(request.tools) || request.tools.length === 0;
  // A side call is answered, unless the script starts silent: then nothing is (a model that never answers).
  const first = reply.script()[0];
  const step = sideCall ? (first && "silent" in first ? first : { text: "ok" }) : reply.step(messages.filter((m) => m.role === "assistant").length);
  if ("silent" in step) return reply.hang();
  if ("error" in step) {
    const { status, message, type } = step.error;
    if (status === 429) reply.res.setHeader("retry-after-ms", "200");
    return reply.json(status, { error: { message: message ?? `stand-in error ${status}`, type: type ?? ERROR_TYPES[status] ?? "server_error", param: null, code: ERROR_CODES[status] ?? null } });
  }
  const cwd = findCwd(messages);
  const message: AssistantMessage = "tool" in step
    ? { role: "assistant", content: null, tool_calls: [{ id: `call_${sequence++}`, type: "function", function: { name: step.tool, arguments: JSON.stringify(fillCwd(step.input, cwd)) } }] }
    : { role: "assistant", content: fillCwd(step.text, cwd) };
  const prompt = sideCall ? 0 : tokensOf(raw);
  const completion = sideCall ? 0 : tokensOf(JSON.stringify(message));
  const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  const finish = message.tool_calls ? "tool_calls" : "stop";
  const streamed = request.stream === true;
  if (!sideCall && (!streamed || request.stream_options?.include_usage === true)) reply.count(prompt, completion);
  if (streamed) stream(reply.res, request, message, finish, usage);
  else reply.json(200, { ...envelope(request, "chat.completion"), choices: [{ index: 0, message, finish_reason: finish }], usage });
}

function envelope(request: ChatRequest, object: string): Record<string, unknown> {
  return { id: `chatcmpl-${sequence++}`, object, created: Math.floor(Date.now() / 1000), model: request.model ?? "stand-in" };
}

/** The answer as Chat Completions SSE chunks: role, content or tool-call deltas, finish reason, usage, `[DONE]`. */
function stream(res: ServerResponse, request: ChatRequest, message: AssistantMessage, finish: string, usage: Record<string, number>): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const base = envelope(request, "chat.completion.chunk");
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): void => {
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`);
  };
  chunk({ role: "assistant", content: "" }, null);
  const call = message.tool_calls?.[0];
  if (call) {
    // The name first, then the arguments in a delta of their own, as the real API streams them.
    chunk({ tool_calls: [{ index: 0, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }, null);
    chunk({ tool_calls: [{ index: 0, function: { arguments: call.function.arguments } }] }, null);
  } else {
    chunk({ content: message.content ?? "" }, null);
  }
  chunk({}, finish);
  if (request.stream_options?.include_usage === true) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  res.end("data: [DONE]\n\n");
}

/** The working directory the CLI names in its prompt (opencode's `Working directory:`, Qwen Code's `working in the directory:`), else the server's. */
function findCwd(messages: NonNullable<ChatRequest["messages"]>): string {
  const text = messages.map((m) => textOf(m.content)).join("\n");
  const match = /(?:working directory|working in the directory)[^/\n]*?(\/[^\s"'\\<>`]+)/i.exec(text);
  return match?.[1]?.replace(/[.,;:]+$/, "") ?? process.cwd();
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part: unknown) => (part && typeof part === "object" && "text" in part && typeof part.text === "string" ? part.text : "")).join("\n");
}
