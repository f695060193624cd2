import { describe, expect, it } from "vitest";
import { formatDuration } from "../../../src/report/format-duration.js";

describe("formatDuration", () => {
  it.each([
    [0, "0ms"], [849.6, "850ms"], [1000, "1.0s"], [12_340, "12.3s"], [59_949, "59.9s"],
    [60_000, "1m00s"], [245_000, "4m05s"], [3_599_000, "59m59s"], [3_600_000, "1h00m"], [3_720_000, "1h02m"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
