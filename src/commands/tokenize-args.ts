export type TokenizeResult = { ok: true; tokens: string[] } | { ok: false; error: string };

/**
 * Splits a command's arguments on whitespace, keeping quoted text together, the way a shell
 * would for words and quotes only: `"..."` (backslash escapes the next character) and
 * `'...'` (literal). Adjacent pieces join, so `--approach="a b"` is one token. Nothing else
 * is special: `;`, `|`, `$` and friends stay literal characters, and no token is ever run.
 */
export function tokenizeArgs(text: string): TokenizeResult {
  const tokens: string[] = [];
  let current = "";
  let inToken = false;
  let quote: '"' | "'" | null = null;

  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (quote === "'") {
      if (ch === "'") quote = null;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === "\\") {
        i++;
        if (i >= text.length) return { ok: false, error: "a backslash ends the line inside a quoted string" };
        current += text[i] ?? "";
      } else current += ch;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
    } else {
      inToken = true;
      if (ch === '"' || ch === "'") quote = ch;
      else current += ch;
    }
  }
  if (quote) return { ok: false, error: `unbalanced quotes: a ${quote === '"' ? "double" : "single"} quote is never closed` };
  if (inToken) tokens.push(current);
  return { ok: true, tokens };
}
