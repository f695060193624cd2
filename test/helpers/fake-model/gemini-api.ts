import { fillCwd, stepAt, tokensOf, type ModelRoute, type RouteReply, type ScriptStep } from "./model-server.js";

/**
 * The Gemini API (generativelanguage.googleapis.com) as Gemini CLI uses it through
 * `GOOGLE_GEMINI_BASE_URL`: `POST /v1beta/models/<model>:generateContent` (one JSON response),
 * `:streamGenerateContent?alt=sse` (SSE, one chunk: the CLI always asks for `alt=sse`) and
 * `:countTokens`.
 *
 * The turn is the number of `role: "model"` contents in the request. A `tool` step answers one
 * `functionCall` part (Gemini CLI's own tool names: read_file, write_file, replace,
 * run_shell_command …), `text` ends the turn, `error` answers the API's error JSON with that status
 * (400 is Google's answer to a bad key: INVALID_ARGUMENT with reason API_KEY_INVALID), `silent`
 * never answers; an `error` with `times` is transient (model-server.ts). A request without tools is
 * a side call (the CLI's model router, which asks for JSON with `responseJsonSchema`): it gets JSON
 * that fits the schema, or the text "ok"; a lasting `error` or a `silent` step applies to it too, as
 * a bad key or a dead server would. Every answered request is
 * counted with the usageMetadata it carried: prompt = tokensOf(request body), candidates =
 * tokensOf(parts), no thoughts, no cache.
 */
export function geminiApi(): ModelRoute {
  return ({ method, path, body, raw }, reply) => {
    const match = /^\/v1(?:beta|alpha)?\d*\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/.exec(path);
    if (method !== "POST" || !match) return false;
    const [, model = "gemini", action] = match;
    if (action === "countTokens") {
      reply.json(200, { totalTokens: tokensOf(raw) });
      return true;
    }
    const request = asRecord(body);
    const contents = Array.isArray(request.contents) ? request.contents.map(asRecord) : [];
    const sideCall = !Array.isArray(request.tools) || request.tools.length === 0;
    const turn = contents.filter((content) => content.role === "model").length;
    // A side call takes no transient error (`times`) from the agent's turns; a lasting one it shares.
    const lasting = stepAt(reply.script(), turn);
    const shared = "silent" in lasting || ("error" in lasting && lasting.error.times === undefined);
    const step: ScriptStep = sideCall ? (shared ? lasting : { text: sideCallText(request) }) : reply.step(turn);
    if ("silent" in step) {
      reply.hang();
      return true;
    }
    if ("error" in step) {
      reply.json(step.error.status, googleError(step.error.status, step.error.message));
      return true;
    }
    const cwd = findCwd(contents);
    const parts = "tool" in step ? [{ functionCall: { name: step.tool, args: fillCwd(step.input, cwd) } }] : [{ text: fillCwd(step.text, cwd) }];
    const prompt = tokensOf(raw);
    const candidates = tokensOf(JSON.stringify(parts));
    const response = {
      candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
      usageMetadata: { promptTokenCount: prompt, candidatesTokenCount: candidates, totalTokenCount: prompt + candidates },
      modelVersion: model,
      responseId: `stand-in-${responseSeq++}`,
    };
    reply.count(prompt, candidates);
    if (action === "generateContent") reply.json(200, response);
    else sendStream(reply, response);
    return true;
  };
}

let responseSeq = 0;

/** Google's error body for a status (google.rpc.Status), as generativelanguage.googleapis.com sends it. */
export function googleError(status: number, message?: string): { error: Record<string, unknown> } {
  if (status === 400 && message === undefined) {
    const text = "API key not valid. Please pass a valid API key.";
    return {
      error: {
        code: 400, message: text, status: "INVALID_ARGUMENT",
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
          { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message: text },
        ],
      },
    };
  }
  const [name, text] = STATUS[status] ?? ["UNKNOWN", `stand-in error ${status}`];
  return { error: { code: status, message: message ?? text, status: name } };
}

const STATUS: Record<number, [string, string]> = {
  400: ["INVALID_ARGUMENT", "Request contains an invalid argument."],
  401: ["UNAUTHENTICATED", "Request had invalid authentication credentials."],
  403: ["PERMISSION_DENIED", "Permission denied."],
  404: ["NOT_FOUND", "Requested entity was not found."],
  429: ["RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."],
  500: ["INTERNAL", "Internal error encountered."],
  503: ["UNAVAILABLE", "The model is overloaded. Please try again later."],
};

/** SSE (`alt=sse`) as the API streams it: `data: <GenerateContentResponse>` events. */
function sendStream(reply: RouteReply, response: unknown): void {
  reply.res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  reply.res.end(`data: ${JSON.stringify(response)}\r\n\r\n`);
}

/** A side call's answer: JSON fitting its `responseJsonSchema` (or `responseSchema`), else "ok". */
function sideCallText(request: Record<string, unknown>): string {
  const config = asRecord(request.generationConfig);
  const schema = config.responseJsonSchema ?? config.responseSchema;
  return schema === undefined ? "ok" : JSON.stringify(valueFor(asRecord(schema)));
}

/** The simplest value of an OpenAPI/JSON schema: first enum value, 1, false, "stand-in", required object keys. */
function valueFor(schema: Record<string, unknown>): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = String(schema.type ?? "object").toLowerCase();
  if (type === "string") return "stand-in";
  if (type === "integer" || type === "number") return typeof schema.minimum === "number" ? schema.minimum : 1;
  if (type === "boolean") return false;
  if (type === "array") return [];
  const properties = asRecord(schema.properties);
  const required = Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === "string") : Object.keys(properties);
  return Object.fromEntries(required.map((key) => [key, valueFor(asRecord(properties[key]))]));
}

/** The working directory Gemini CLI names in its session context (`- **Workspace Directories:**\n  - /path`). */
function findCwd(contents: Record<string, unknown>[]): string {
  const text = contents.flatMap((content) => (Array.isArray(content.parts) ? content.parts.map(asRecord) : [])).map((part) => (typeof part.text === "string" ? part.text : "")).join("\n");
  const match = /Workspace Directories:\**\s*\n\s*-\s*(\/[^\s"'\\<>`]+)/.exec(text) ?? /(?:working directory|cwd)[^/\n]*?(\/[^\s"'\\<>`]+)/i.exec(text);
  return match?.[1]?.replace(/[.,;:]+$/, "") ?? process.cwd();
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
