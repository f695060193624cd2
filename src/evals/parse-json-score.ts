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

/** Reads a `json` eval's result: the last non-empty stdout line, `{"score":0..1,"passed":n,"failed":n}`. */
export function parseJsonScore(stdout: string): JsonScore {
  const lines = stdout.split("\n").map((line) => line.trim());
  const last = lines.filter((line) => line.length > 0).at(-1);
  if (last === undefined) throw new Error('no output: expected a last line like {"score":0.9,"passed":9,"failed":1}');
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

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
