import { describe, expect, it } from "vitest";
import { isSafeBranchName, laneBranchName, raceBranchPrefix, slugify } from "../../../src/git/branch-name.js";
import { HOSTILE_TEXTS } from "./hostile-texts.js";


describe("slugify", () => {
  it.each([
    ["Fix the Login Bug", "fix-the-login-bug"],
    ["Crème Brûlée", "creme-brulee"],
    ["  --hello--world--  ", "hello-world"],
    ["$(curl x|sh)", "curl-x-sh"],
    ["`whoami`", "whoami"],
    ["--upload-pack=x", "upload-pack-x"],
    ["a..b", "a-b"],
    ["HEAD@{1}", "head-1"],
    ["zero\u200Bwidth", "zero-width"],
    ["emoji 🚀 rocket", "emoji-rocket"],
    ["ｆｕｌｌｗｉｄｔｈ", "fullwidth"],
    ["", "task"],
    ["🚀🔥", "task"],
    ["日本語", "task"],
  ])("slugify(%j) = %j", (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  it("cuts long text on a word boundary", () => {
    expect(slugify("add a very long feature name that goes on and on", 20)).toBe("add-a-very-long");
    expect(slugify("abcdefghij klm", 10)).toBe("abcdefghij");
    expect(slugify("x".repeat(100), 40)).toBe("x".repeat(40));
  });

  it.each(HOSTILE_TEXTS.map((text) => [text]))("only yields [a-z0-9-] for %j", (text) => {
    const slug = slugify(text);
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(slug.length).toBeLessThanOrEqual(40);
  });
});

describe("laneBranchName", () => {
  it("builds agent-race/<slug>-<raceId>/<lane>-<agent>", () => {
    expect(laneBranchName({ slug: "Fix login", raceId: "k3x9", lane: 1, agent: "claude-code" })).toBe("agent-race/fix-login-k3x9/1-claude-code");
    expect(raceBranchPrefix("Fix login", "k3x9")).toBe("agent-race/fix-login-k3x9");
  });

  it.each(HOSTILE_TEXTS.map((text) => [text]))("is safe and at most 120 chars for hostile %j", (text) => {
    const name = laneBranchName({ slug: text, raceId: text, lane: text, agent: text });
    expect(isSafeBranchName(name)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name).toMatch(/^agent-race\/[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(name.startsWith(raceBranchPrefix(text, text) + "/")).toBe(true);
  });
});

describe("isSafeBranchName", () => {
  it.each([
    ["agent-race/fix-k3x9/1-codex", true],
    ["feature/v1.2_x", true],
    ["a", true],
    ["", false],
    ["-x", false],
    ["a/-x", false],
    [".hidden", false],
    ["a/.hidden", false],
    ["a..b", false],
    ["a//b", false],
    ["/a", false],
    ["a/", false],
    ["a.", false],
    ["a.lock", false],
    ["a.lock/b", false],
    ["a@{1}", false],
    ["@", false],
    ["Upper", false],
    ["a b", false],
    ["a\nb", false],
    ["a~1", false],
    ["a^", false],
    ["a:b", false],
    ["a?", false],
    ["a*", false],
    ["a[b", false],
    ["a\\b", false],
    ["$(x)", false],
    ["`x`", false],
    ["a\u200Bb", false],
    ["x".repeat(121), false],
    ["x".repeat(120), true],
  ])("isSafeBranchName(%j) = %s", (name, expected) => {
    expect(isSafeBranchName(name)).toBe(expected);
  });
});
