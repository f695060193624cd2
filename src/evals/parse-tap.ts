import { TapCounter } from "./tap-counter.js";
import type { TestCounts } from "./test-counts.js";

/** Counts the top-level TAP test points of a whole text (see TapCounter). */
export function parseTap(text: string): TestCounts {
  const counter = new TapCounter();
  for (const line of text.split("\n")) counter.push(line);
  return counter.result();
}
