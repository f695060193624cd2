import { randomUUID } from "node:crypto";
import { fillCwd, tokensOf, type ModelRoute, type RouteReply, type ScriptStep } from "./model-server.js";

/**
 * The OpenAI Responses API as Codex uses it through a model provider of its own
 * (`model_providers.<id>.base_url = "http://127.0.0.1:PORT/v1"`, `wire_api = "responses"`):
 * `POST /v1/responses`, answered as SSE with the usage in `response.completed`, and `GET /v1/models`.
 * WebSocket upgrades are not answered (Codex uses them only with its built-in provider).
 *
 * The turn is the number of tool calls already in the request's `input`. A `tool` step answers one
 * call: `{ tool, input: { freeform: "<text>" } }` a `custom_tool_call` (a freeform tool, such as
 * Codex 0.171's `exec`, which runs JavaScript; see `codexApplyPatch`), any other input a
 * `function_call` with that input as its JSON arguments. `text` answers a message and ends the
 * turn, `error` the API's error JSON with that status, `silent` nothing. A request without tools
 * gets the text "ok". Every answered request is counted with the usage it carried:
 * input = tokensOf(request body), output = tokensOf(output item), no cached or reasoning tokens.
 */
export function openaiResponses(): ModelRoute {
  return ({ method, path, body, raw }, reply) => {
    if (method === "POST" && path.endsWith("/responses")) {
      answerResponses(asRecord(body), raw, reply);
      return true;
    }
    if (method === "GET" && path.endsWith("/models")) {
      reply.json(200, { object: "list", data: [{ id: "gpt-5-codex", object: "model", owned_by: "stand-in" }], models: [] });
      return true;
    }
    return false;
  };
}

/**
 * A Codex 0.171 step that applies a patch in apply_patch format (`*** Begin Patch` … `*** End Patch`,
 * paths relative to the working directory): its one model-facing tool, `exec`, runs JavaScript
 * that calls the nested tool `tools.apply_patch(...)`.
 */
export function codexApplyPatch(patch: string): ScriptStep {
  return { tool: "exec", input: { freeform: `const r = await tools.apply_patch(${JSON.stringify(patch)});\ntext(JSON.stringify(r));` } };
}

const CALL_TYPES = new Set(["function_call", "custom_tool_call", "local_shell_call"]);

const ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided: sk-stand***. You can find your API key at https://platform.openai.com/account/api-keys." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests" },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request." },
};

type Item =
  | { type: "custom_tool_call"; id: string; status: "completed"; call_id: string; name: string; input: string }
  | { type: "function_call"; id: string; status: "completed"; call_id: string; name: string; arguments: string }
  | { type: "message"; id: string; status: "completed"; role: "assistant"; content: { type: "output_text"; text: string; annotations: [] }[] };

function answerResponses(body: Record<string, unknown>, raw: string, reply: RouteReply): void {
  const input = Array.isArray(body.input) ? (body.input as unknown[]).map(asRecord) : [];
  // Codex 0.17x sends its tools as an input item `{ type: "additional_tools" }`, older versions in `tools`.
  const hasTools = (Array.isArray(body.tools) && body.tools.length > 0) || input.some((item) => item.type === "additional_tools");
  const turn = input.filter((item) => CALL_TYPES.has(String(item.type))).length;
  const step: ScriptStep = hasTools ? reply.step(turn) : { text: "ok" };
  if ("silent" in step) return reply.hang();
  if ("error" in step) {
    const known = ERROR_TYPES[step.error.status];
    reply.json(step.error.status, {
      error: { message: step.error.message ?? known?.message ?? `stand-in error ${step.error.status}`, type: step.error.type ?? known?.type ?? "server_error", param: null, code: known?.code ?? null },
    });
    return;
  }
  const cwd = findCwd(input);
  const id = (prefix: string): string => `${prefix}_standin_${randomUUID().replaceAll("-", "")}`;
  let item: Item;
  if ("tool" in step) {
    const filled = fillCwd(step.input, cwd);
    item = typeof filled.freeform === "string"
      ? { type: "custom_tool_call", id: id("ctc"), status: "completed", call_id: id("call"), name: step.tool, input: filled.freeform }
      : { type: "function_call", id: id("fc"), status: "completed", call_id: id("call"), name: step.tool, arguments: JSON.stringify(filled) };
  } else {
    item = { type: "message", id: id("msg"), status: "completed", role: "assistant", content: [{ type: "output_text", text: fillCwd(step.text, cwd), annotations: [] }] };
  }
  const inputTokens = tokensOf(raw);
  const outputTokens = tokensOf(JSON.stringify(item));
  reply.count(inputTokens, outputTokens);
  const usage = {
    input_tokens: inputTokens, input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens, output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + outputTokens,
  };
  const response = { id: id("resp"), object: "response", created_at: Math.floor(Date.now() / 1000), model: typeof body.model === "string" ? body.model : "gpt-5-codex", output: [] as Item[] };
  const { res } = reply;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
  };
  event("response.created", { response: { ...response, status: "in_progress" } });
  event("response.in_progress", { response: { ...response, status: "in_progress" } });
  if (item.type === "message") {
    const part = item.content[0] as { type: "output_text"; text: string; annotations: [] };
    event("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } });
    event("response.content_part.added", { item_id: item.id, output_index: 0, content_index: 0, part: { ...part, text: "" } });
    event("response.output_text.delta", { item_id: item.id, output_index: 0, content_index: 0, delta: part.text });
    event("response.output_text.done", { item_id: item.id, output_index: 0, content_index: 0, text: part.text });
    event("response.content_part.done", { item_id: item.id, output_index: 0, content_index: 0, part });
  } else {
    event("response.output_item.added", { output_index: 0, item });
  }
  event("response.output_item.done", { output_index: 0, item });
  event("response.completed", { response: { ...response, status: "completed", output: [item], usage } });
  res.end();
}

/** The working directory Codex names in its environment context (`<cwd>/workspace</cwd>`). */
function findCwd(input: Record<string, unknown>[]): string {
  return /<cwd>([^<]+)<\/cwd>/.exec(JSON.stringify(input))?.[1] ?? "/";
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
