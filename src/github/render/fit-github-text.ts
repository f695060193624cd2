/**
 * GitHub's limits on the text the app posts. Comments, issue and PR bodies: 65,536 characters
 * ("Body is too long (maximum is 65536 characters)"). Check-run `output.summary` and `output.text`:
 * documented as 65,535 characters, enforced as bytes ("summary exceeds a maximum bytesize of
 * 65535", github/docs#35252), so they are measured in UTF-8 bytes.
 */
export const GITHUB_TEXT_LIMITS = {
  comment: { max: 65_536, unit: "chars" },
  "pr-body": { max: 65_536, unit: "chars" },
  "check-summary": { max: 65_535, unit: "bytes" },
  "check-text": { max: 65_535, unit: "bytes" },
} as const satisfies Record<string, { max: number; unit: "chars" | "bytes" }>;

export type GitHubTextKind = keyof typeof GITHUB_TEXT_LIMITS;

export interface FitTextOptions {
  /** "chars": UTF-16 code units (never fewer than GitHub's characters); "bytes": UTF-8 bytes. */
  unit?: "chars" | "bytes";
  /** What replaces the cut-off end; "…" unless told. */
  ellipsis?: string;
  /** Kept whole after the cut, e.g. a hidden marker that must survive. */
  suffix?: string;
}

const encoder = new TextEncoder();

/**
 * `text` (plus `suffix`) cut to at most `max` units, ending with the ellipsis where it was cut.
 * Never splits a surrogate pair or a UTF-8 sequence. Text that fits comes back unchanged.
 */
export function fitText(text: string, max: number, options: FitTextOptions = {}): string {
  const unit = options.unit ?? "chars";
  const suffix = options.suffix ?? "";
  const size = (value: string): number => (unit === "bytes" ? encoder.encode(value).length : value.length);
  if (size(text) + size(suffix) <= max) return text + suffix;
  if (size(suffix) > max) return prefixOf(suffix, max, unit);
  const wanted = options.ellipsis ?? "…";
  // An ellipsis that does not fit either gives way to a plain "…", then to nothing.
  const ellipsis = [wanted, "…", ""].find((candidate) => size(candidate) + size(suffix) <= max) ?? "";
  return `${prefixOf(text, max - size(ellipsis) - size(suffix), unit)}${ellipsis}${suffix}`;
}

/** `text` fitted under GitHub's limit for that kind of field, with a note where it was cut. */
export function fitGitHubText(text: string, kind: GitHubTextKind, options: { suffix?: string } = {}): string {
  const limit = GITHUB_TEXT_LIMITS[kind];
  const ellipsis = `…\n\n_(cut to fit GitHub's ${limit.max.toLocaleString("en-US")}-${limit.unit === "bytes" ? "byte" : "character"} limit)_\n`;
  return fitText(text, limit.max, { unit: limit.unit, ellipsis, ...options });
}

/** A short note (an error message, a lane note) cut to `max` characters with an ellipsis. */
export function shortNote(text: string, max: number): string {
  return fitText(text, max);
}

function prefixOf(text: string, budget: number, unit: "chars" | "bytes"): string {
  if (unit === "bytes") {
    const buffer = new Uint8Array(budget);
    // encodeInto writes whole characters only and says how many UTF-16 units it read.
    const { read } = encoder.encodeInto(text, buffer);
    return text.slice(0, read);
  }
  let end = Math.min(budget, text.length);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1; // a high surrogate without its pair
  return text.slice(0, end);
}
