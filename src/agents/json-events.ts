import { z } from "zod";
import { tryJson } from "./try-json.js";

const anyEventSchema = z.looseObject({ type: z.string() });

/**
 * The events of a CLI's JSONL output that `schema` knows, in order; null when no line is an event
 * at all (`{"type": …}`), so a caller can tell "said nothing structured" from "said nothing it knows".
 */
export function jsonEvents<T>(stdout: string, schema: z.ZodType<T>): T[] | null {
  let sawEvent = false;
  const events: T[] = [];
  for (const line of stdout.split("\n")) {
    const json = tryJson(line.trim());
    if (!anyEventSchema.safeParse(json).success) continue;
    sawEvent = true;
    const parsed = schema.safeParse(json);
    if (parsed.success) events.push(parsed.data);
  }
  return sawEvent ? events : null;
}
