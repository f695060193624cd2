import { describe, expect, it } from "vitest";
import { inertText } from "../../../../src/github/render/inert-text.js";

const ZWJ = "\u200d";

describe("inertText", () => {
  it.each([
    ["plain text", "fix it in the parser", {}, "fix it in the parser"],
    ["newlines", "one\r\ntwo\nthree", {}, "one two three"],
    ["HTML", "<img src=x onerror=alert(1)> & co", {}, "&lt;img src=x onerror=alert(1)&gt; &amp; co"],
    ["mentions", "ask @octocat and @org/team, not a@", {}, `ask @${ZWJ}octocat and @${ZWJ}org/team, not a@`],
    ["code spans and links", "`x` [a](http://e) *b* _c_ ~d~", {}, "\\`x\\` \\[a\\](http://e) \\*b\\* \\_c\\_ \\~d\\~"],
    ["backslashes", "a\\b", {}, "a\\\\b"],
    ["pipes left for the table renderer", "a | b", {}, "a | b"],
    ["pipes when asked", "a | b", { pipes: true }, "a \\| b"],
    ["HTML mode: entities only", "<b>x_y</b> @me", { html: true }, `&lt;b&gt;x_y&lt;/b&gt; @${ZWJ}me`],
    ["long text", "abcdefghij", { maxLength: 5 }, "abcd…"],
    ["control characters", "a\u0000b\u001bc", {}, "abc"],
  ])("handles %s", (_name, text, options, expected) => {
    expect(inertText(text, options)).toBe(expected);
  });
});
