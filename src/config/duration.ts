import { z } from "zod";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration string such as `90s`, `30m`, `2h` or `1500ms` into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * (UNITS[match[2] ?? "s"] ?? 1000);
  return value > 0 && Number.isFinite(value) ? Math.round(value) : undefined;
}

/** A zod schema that accepts a duration string and yields milliseconds. */
export const durationSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: `expected a duration such as "90s", "30m" or "2h", got "${text}"` });
    return z.NEVER;
  }
  return ms;
});
