import { z } from "zod";

const scoreSchema = z.looseObject({
  score: z.number().min(0).max(1),
  passed: z.int().min(0),
  failed: z.int().min(0),
});

export interface JsonScore {
  score: number;
  passed: number;
  failed: number;
}

/** A score line is tiny; a longer last line is not parsed at all. */
const MAX_SCORE_LINE = 64 * 1024;

/** Reads a `json` eval's result: the last non-empty stdout line, `{"score":0..1,"passed":n,"failed":n}`. */
export function parseJsonScore(stdout: string): JsonScore {
  const last = lastLine(stdout);
  if (last === null) throw new Error('no output: expected a last line like {"score":0.9,"passed":9,"failed":1}');
  if (last.length > MAX_SCORE_LINE) throw new Error(`the last line of output is ${last.length} characters long, not a score line (at most ${MAX_SCORE_LINE}): ${shorten(last)}`);
  let value: unknown;
  try {
    value = JSON.parse(last);
  } catch {
    throw new Error(`last line of output is not JSON: ${shorten(last)}`);
  }
  const parsed = scoreSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`);
    throw new Error(`last line of output is not a valid score (${problems.join("; ")}): ${shorten(last)}`);
  }
  const { score, passed, failed } = parsed.data;
  return { score, passed, failed };
}

/** The last non-empty line, found from the end: the output (up to the kept tail) is never split whole. */
function lastLine(text: string): string | null {
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end).trim();
    if (line.length > 0) return line;
    end = start - 1;
  }
  return null;
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
