import { describe, expect, it } from "vitest";
import { escapeHtml, html, rawHtml, safeUrl } from "../../../../src/dashboard/views/html.js";

describe("html", () => {
  it("escapes every interpolated value, in text and attributes", () => {
    const evil = `"><script>alert('x')</script>&\``;
    expect(escapeHtml(evil)).toBe("&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;");
    expect(html`<a title="${evil}">${evil}</a>`.value).toBe(`<a title="${escapeHtml(evil)}">${escapeHtml(evil)}</a>`);
  });

  it("joins arrays, keeps SafeHtml and drops null, undefined and false", () => {
    expect(html`<ul>${["<a>", html`<li>${"b"}</li>`]}</ul>${null}${undefined}${false}${0}`.value).toBe("<ul>&lt;a&gt;<li>b</li></ul>0");
    expect(html`${rawHtml("<b>ok</b>")}`.value).toBe("<b>ok</b>");
  });

  it("only lets http(s) URLs into links", () => {
    expect(safeUrl("https://github.com/acme/widgets/pull/3")).toBe("https://github.com/acme/widgets/pull/3");
    for (const bad of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example", "/relative", null, undefined, "https://a b"]) expect(safeUrl(bad)).toBe("#");
  });
});
