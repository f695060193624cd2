const ZERO_WIDTH_JOINER = "\u200d";

export interface InertTextOptions {
  /** Escape `|` too (for table cells this module renders itself; `renderMarkdownReport` escapes its own). */
  pipes?: boolean;
  /** For text inside an HTML block (`<summary>`), where Markdown escapes would show: entities only. */
  html?: boolean;
  /** Cut to this many characters (before escaping) and end with `…`. */
  maxLength?: number;
}

/**
 * Makes user-supplied text (an approach hint, an agent's note) safe to show inline in Markdown:
 * one line, no HTML, no code spans or links, and no `@mentions` that would notify anyone.
 * What the reader sees is the text as written.
 */
export function inertText(text: string, options: InertTextOptions = {}): string {
  // Control characters other than whitespace are dropped; whitespace runs become one space.
  let line = text.replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, "").replace(/\s+/g, " ").trim();
  if (options.maxLength !== undefined && line.length > options.maxLength) {
    line = `${line.slice(0, Math.max(0, options.maxLength - 1)).trimEnd()}…`;
  }
  const html = line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const escaped = (options.html ? html : html.replace(/([\\`[\]*_~])/g, "\\$1")).replace(
    /@(?=[A-Za-z0-9])/g,
    `@${ZERO_WIDTH_JOINER}`,
  );
  return options.pipes ? escaped.replace(/\|/g, "\\|") : escaped;
}
