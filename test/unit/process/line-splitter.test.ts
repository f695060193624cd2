import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../../src/process/line-splitter.js";

function split(chunks: Array<string | Buffer>, maxLine?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxLine);
  for (const chunk of chunks) splitter.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  splitter.end();
  return lines;
}

describe("LineSplitter", () => {
  it("joins lines cut across chunks and keeps empty lines", () => {
    expect(split(['{"a":', '1}\n{"b"', ":2}\n\nlast"])).toEqual(['{"a":1}', '{"b":2}', "", "last"]);
  });

  it("hands over nothing more when the output ends with a newline", () => {
    expect(split(["one\n", "two\n"])).toEqual(["one", "two"]);
  });

  it("keeps a multi-byte character cut between chunks intact", () => {
    const bytes = Buffer.from("€uro\n");
    expect(split([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual(["€uro"]);
  });

  it("drops a line longer than the cap instead of buffering it, and goes on after it", () => {
    expect(split(["short\n", "x".repeat(30), "x".repeat(30), "\nafter\n"], 50)).toEqual(["short", "after"]);
    expect(split(["x".repeat(80)], 50)).toEqual([]);
  });
});
