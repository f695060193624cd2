/** Just enough GraphQL text handling to read field arguments; this is not a parser. */

export type GraphqlValue = string | number | boolean | null | GraphqlValue[] | { [key: string]: GraphqlValue };

const ARG = /(\w+)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*"|\[[^\]]*\]|-?\d+(?:\.\d+)?|[A-Za-z_]\w*)/g;

/** The raw text between the parentheses that follow the first `field(` in `query`, or null. */
export function fieldArgsText(query: string, field: string): string | null {
  const match = new RegExp(`\\b${field}\\s*\\(`).exec(query);
  if (!match) return null;
  let depth = 1;
  const start = match.index + match[0].length;
  for (let i = start; i < query.length; i++) {
    if (query[i] === "(") depth++;
    if (query[i] === ")" && --depth === 0) return query.slice(start, i);
  }
  return null;
}

/** Whether `field` is selected at all (with or without arguments). */
export function selects(query: string, field: string): boolean {
  return new RegExp(`\\b${field}\\b`).test(query);
}

function literal(text: string, variables: Record<string, unknown>): GraphqlValue {
  if (text.startsWith("$")) return (variables[text.slice(1)] ?? null) as GraphqlValue;
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text.startsWith("[")) {
    return text
      .slice(1, -1)
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map((s) => literal(s, variables));
  }
  if (/^-?\d/.test(text)) return Number(text);
  if (text === "null") return null;
  if (text === "true" || text === "false") return text === "true";
  return text; // enum value
}

/** Arguments of the first `field(...)` with `$variables` substituted. */
export function fieldArgs(query: string, field: string, variables: Record<string, unknown>): Record<string, GraphqlValue> | null {
  const text = fieldArgsText(query, field);
  if (text === null) return null;
  const args: Record<string, GraphqlValue> = {};
  for (const m of text.matchAll(ARG)) {
    const [, name = "", value = ""] = m;
    args[name] = literal(value, variables);
  }
  return args;
}

export function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString("base64");
}

/** The 0-based index at which the page after `cursor` starts. */
export function decodeCursor(cursor: GraphqlValue | undefined): number {
  if (typeof cursor !== "string") return 0;
  const n = Number(/^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"))?.[1]);
  return Number.isInteger(n) ? n + 1 : 0;
}

/** A GraphQL connection page of `items` for `first`/`after`. */
export function connection<T>(items: readonly T[], first: GraphqlValue | undefined, after: GraphqlValue | undefined) {
  const size = typeof first === "number" ? first : 100;
  if (size > 100) throw new Error(`Requesting ${size} records on the connection exceeds the \`first\` limit of 100 records.`);
  const start = decodeCursor(after);
  const nodes = items.slice(start, start + size);
  return {
    totalCount: items.length,
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? encodeCursor(start) : null,
      endCursor: nodes.length > 0 ? encodeCursor(start + nodes.length - 1) : null,
    },
    nodes,
  };
}
