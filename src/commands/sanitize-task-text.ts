/**
 * Characters a reader does not see: C0/C1 controls except tab and newline, soft hyphen, Mongolian
 * vowel separator, zero-width and directional marks, bidi embeddings/overrides/isolates, word
 * joiner and invisible operators, deprecated format controls, BOM, interlinear annotations, and
 * Unicode tag characters (used to smuggle ASCII invisibly). Listed one by one rather than as
 * \p{Cf}, which would also remove format characters that carry meaning (Arabic number signs).
 */
const HIDDEN_CHAR =
  "[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad\\u180e\\u200b-\\u200f\\u202a-\\u202e" +
  "\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\\u{e0000}-\\u{e007f}]";
const HIDDEN_CHARS = new RegExp(HIDDEN_CHAR, "gu");
const IS_HIDDEN_CHAR = new RegExp(`^${HIDDEN_CHAR}$`, "u");

const NUMERIC_ENTITY = /&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))(;?)/g;
/** A comment runs to `-->` or `--!>`, or to the end of the text if never closed; `<!-->` and `<!--->` are empty. */
const HTML_COMMENT = /<!--(?:-?>|[\s\S]*?(?:--!?>|$))/g;
const IMAGE_ALT = /!\[(?:\\.|[^[\]\\]|\[[^[\]]*\])*\](?=[([])/g;
const QUOTED_TITLE = `(?:"(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|\\((?:[^()\\\\]|\\\\.)*\\))`;
const INLINE_LINK_TITLE = new RegExp(
  `(\\]\\(\\s*(?:<[^<>\\n]*>|[^\\s()<>]+(?:\\([^\\s()]*\\)[^\\s()<>]*)*))\\s+${QUOTED_TITLE}\\s*\\)`,
  "g",
);
const REFERENCE_TITLE = new RegExp(`^( {0,3}\\[[^\\]\\n]+\\]:[ \\t]*\\S+)\\s+${QUOTED_TITLE}[ \\t]*$`, "gm");
/** An open tag in CommonMark's raw-HTML grammar (anything else is shown as text). Strict, so it stays linear. */
const ATTRIBUTE = `\\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\\s*=\\s*(?:[^"'=<>\`\\s]+|'[^']*'|"[^"]*"))?`;
const HTML_TAG = new RegExp(`<([A-Za-z][A-Za-z0-9-]*)((?:${ATTRIBUTE})*)(\\s*/?)>`, "g");
const HTML_ATTRIBUTE = new RegExp(ATTRIBUTE, "g");
const HIDDEN_ATTRIBUTES = new Set(["alt", "title", "aria-label", "aria-description", "placeholder"]);
const MAX_PASSES = 8;

/**
 * Removes text that GitHub does not show but an agent would read, before issue or comment text
 * goes into a prompt (threat T4): HTML comments (also unterminated), invisible and bidi
 * characters, Markdown image alt text, link titles, and hidden HTML attributes. Numeric entities
 * are decoded first when they stand for printable ASCII, so `&#60;!-- … --&#62;` is caught;
 * entities for hidden characters such as `&#x202E;` are dropped; other entities are kept.
 * Visible text is unchanged, except that line endings become `\n`. Repeats until nothing changes,
 * so removing one thing cannot assemble another (`<!<!-- -->-- x -->`).
 */
export function sanitizeTaskText(text: string): string {
  let current = text.replace(/\r\n?/g, "\n");
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = sanitizeOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function sanitizeOnce(text: string): string {
  return stripHiddenAttributes(
    text
      .replace(NUMERIC_ENTITY, decodeEntity)
      .replace(HIDDEN_CHARS, "")
      .replace(HTML_COMMENT, "")
      .replace(IMAGE_ALT, "![]")
      .replace(INLINE_LINK_TITLE, "$1)")
      .replace(REFERENCE_TITLE, "$1"),
  );
}

function decodeEntity(entity: string, hex: string | undefined, decimal: string | undefined, semicolon: string): string {
  const codePoint = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
  if (!Number.isSafeInteger(codePoint) || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
    return ""; // browsers show U+FFFD for these; nothing worth keeping
  }
  // Markdown only decodes entities that end in `;`, so others stay literal text, unless hidden.
  if (codePoint >= 0x20 && codePoint <= 0x7e && semicolon === ";") return String.fromCharCode(codePoint);
  return codePoint === 0 || IS_HIDDEN_CHAR.test(String.fromCodePoint(codePoint)) ? "" : entity;
}

function stripHiddenAttributes(text: string): string {
  return text.replace(HTML_TAG, (_tag, name: string, attributes: string, end: string) => {
    const kept = attributes.replace(HTML_ATTRIBUTE, (attribute) => {
      const attributeName = (/[^\s=]+/.exec(attribute)?.[0] ?? "").toLowerCase();
      return HIDDEN_ATTRIBUTES.has(attributeName) || attributeName.startsWith("data-") ? "" : attribute;
    });
    return `<${name}${kept}${end}>`;
  });
}
