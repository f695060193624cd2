/** At most this many declared dependencies are honoured per issue (the rest are ignored). */
export const MAX_DEPENDENCIES = 10;

const DECLARATION = /\b(?:depends\s+on|blocked\s+by)\b\s*:?[ \t]*((?:#\d{1,9}\b(?:[ \t]*(?:,|&|\band\b)?[ \t]*)?)+)/gi;

/**
 * The issues and PRs an issue body says it waits for: `depends on #N` or `blocked by #N`
 * (case-insensitive, several per line as `#1, #2 and #3`, several lines). Fenced and indented code,
 * `>` quotes and HTML comments are skipped, so pasted text does not make a race wait. Only plain
 * `#N` references in the same repository count; the issue itself is ignored.
 */
export function parseDependencies(body: string, self: number): number[] {
  const found = new Set<number>();
  for (const match of prose(body).matchAll(DECLARATION)) {
    for (const ref of (match[1] ?? "").matchAll(/#(\d+)/g)) {
      const number = Number(ref[1]);
      if (number > 0 && number !== self) found.add(number);
    }
  }
  return [...found].slice(0, MAX_DEPENDENCIES);
}

/** The body without code blocks, quotes, HTML comments and inline code. */
function prose(body: string): string {
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of body.replace(/<!--[\s\S]*?(?:-->|$)/g, "").replace(/\r\n?/g, "\n").split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    if (/^( {4}|\t)/.test(line) || /^ {0,3}>/.test(line)) continue;
    kept.push(line.replace(/`[^`\n]*`/g, ""));
  }
  return kept.join("\n");
}
