import { describe, expect, it } from "vitest";
import { fencedLogExcerpt } from "../../../../src/github/render/fenced-log-excerpt.js";

describe("fencedLogExcerpt", () => {
  it("keeps the last 40 lines", () => {
    const log = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join("\n");
    const excerpt = fencedLogExcerpt(`${log}\n`);
    expect(excerpt.split("\n")).toHaveLength(42);
    expect(excerpt).toMatch(/^```text\nline 11\n/);
    expect(excerpt).toMatch(/line 50\n```$/);
  });

  it("keeps at most 3000 characters, cut at a line start", () => {
    const log = Array.from({ length: 30 }, (_, i) => `${String(i).padStart(2, "0")}${"x".repeat(198)}`).join("\n");
    const body = fencedLogExcerpt(log).split("\n").slice(1, -1).join("\n");
    expect(body.length).toBeLessThanOrEqual(3001);
    expect(body).toMatch(/^…\n16x/);
    expect(body.endsWith(`29${"x".repeat(198)}`)).toBe(true);
  });

  it("uses a fence longer than any backtick run inside", () => {
    const excerpt = fencedLogExcerpt("before\n```\n````js\nafter");
    expect(excerpt).toBe("`````text\nbefore\n```\n````js\nafter\n`````");
  });

  it("redacts secrets and strips terminal escapes", () => {
    const excerpt = fencedLogExcerpt(`\u001b[31merror\u001b[0m using ghs_${"a".repeat(36)} and my-literal-secret`, ["my-literal-secret"]);
    expect(excerpt).toBe("```text\nerror using [REDACTED] and [REDACTED]\n```");
  });

  it("says when the log is empty", () => {
    expect(fencedLogExcerpt("\n\n")).toBe("```text\n(empty log)\n```");
  });
});
