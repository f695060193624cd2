const MAX_SHOWN = 40;

/**
 * Renders user text for a reply comment as an inert Markdown code span: no mentions, links,
 * HTML or control characters survive, and long text is cut short.
 */
export function inertCodeSpan(text: string): string {
  let shown = text.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, "");
  shown = shown.replace(/`/g, "'");
  if (shown.length > MAX_SHOWN) shown = `${shown.slice(0, MAX_SHOWN)}…`;
  return shown.trim() === "" ? "`(blank)`" : `\`${shown}\``;
}
