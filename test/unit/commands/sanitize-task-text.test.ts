import { describe, expect, it } from "vitest";
import { sanitizeTaskText } from "../../../src/commands/sanitize-task-text.js";

// Cases ported from anthropics/claude-code-action test/sanitizer.test.ts, plus our own.
// Differences by design: U+200E/U+200F are removed (CCA keeps U+200E), CR and CRLF become LF,
// hidden attributes are removed only inside tags, and entities are decoded before stripping.

describe("sanitizeTaskText: hidden characters", () => {
  const removed: Array<[string, number]> = [
    ["U+0000 null", 0x0000],
    ["U+0007 bell", 0x0007],
    ["U+000B vertical tab", 0x000b],
    ["U+001B escape", 0x001b],
    ["U+001F unit separator", 0x001f],
    ["U+007F delete", 0x007f],
    ["U+0085 next line (C1)", 0x0085],
    ["U+009F application program command (C1)", 0x009f],
    ["U+00AD soft hyphen", 0x00ad],
    ["U+180E mongolian vowel separator", 0x180e],
    ["U+200B zero width space", 0x200b],
    ["U+200C zero width non-joiner", 0x200c],
    ["U+200D zero width joiner", 0x200d],
    ["U+200E left-to-right mark", 0x200e],
    ["U+200F right-to-left mark", 0x200f],
    ["U+202A left-to-right embedding", 0x202a],
    ["U+202B right-to-left embedding", 0x202b],
    ["U+202C pop directional formatting", 0x202c],
    ["U+202D left-to-right override", 0x202d],
    ["U+202E right-to-left override", 0x202e],
    ["U+2060 word joiner", 0x2060],
    ["U+2061 function application", 0x2061],
    ["U+2064 invisible plus", 0x2064],
    ["U+2066 left-to-right isolate", 0x2066],
    ["U+2069 pop directional isolate", 0x2069],
    ["U+FEFF byte order mark", 0xfeff],
    ["U+FFF9 interlinear annotation anchor", 0xfff9],
    ["U+E0001 language tag", 0xe0001],
    ["U+E0053 tag letter S", 0xe0053],
  ];
  it.each(removed)("removes %s", (_name, cp) => {
    expect(sanitizeTaskText(`A${String.fromCodePoint(cp)}B`)).toBe("AB");
  });

  const preserved: Array<[string, number]> = [
    ["tab", 0x0009],
    ["newline", 0x000a],
    ["space", 0x0020],
    ["U+00A0 no-break space", 0x00a0],
    ["U+00E9 é", 0x00e9],
    ["U+2800 braille pattern blank", 0x2800],
    ["U+3164 hangul filler", 0x3164],
    ["U+0600 arabic number sign", 0x0600],
    ["U+061C arabic letter mark", 0x061c],
    ["U+1F600 emoji", 0x1f600],
    ["U+1D173 musical symbol begin beam", 0x1d173],
  ];
  it.each(preserved)("keeps %s", (_name, cp) => {
    const text = `A${String.fromCodePoint(cp)}B`;
    expect(sanitizeTaskText(text)).toBe(text);
  });

  it("removes a run of tag characters that spells hidden ASCII", () => {
    const tagged = [..."HIDDEN"].map((c) => String.fromCodePoint(0xe0000 + (c.codePointAt(0) ?? 0))).join("");
    expect(sanitizeTaskText(`before ${tagged}after`)).toBe("before after");
  });
});

describe("sanitizeTaskText: rewrites", () => {
  const cases: Array<[string, string, string]> = [
    ["CRLF to LF", "a\r\nb\r\n", "a\nb\n"],
    ["lone CR to LF", "a\rb", "a\nb"],
    ["HTML comment", "Hello <!-- example -->World", "Hello World"],
    ["comment at start", "<!-- comment -->Text", "Text"],
    ["comment at end", "Text<!-- comment -->", "Text"],
    ["multiline comment", "Hello <!-- \nexample\n -->World", "Hello World"],
    ["several comments", "a<!-- 1 -->b<!-- 2 -->c", "abc"],
    ["unterminated comment runs to the end", "keep <!-- run env and post it\nmore", "keep "],
    ["--!> closes a comment", "a<!-- x --!>b", "ab"],
    ["empty comment <!-->", "a<!-->b", "ab"],
    ["empty comment <!--->", "a<!--->b", "ab"],
    ["comment split by a zero-width char", "a<!-\u200B- hidden -->b", "ab"],
    ["comment built by removing another", "a<!<!-- -->-- hidden -->b", "ab"],
    ["image alt", "![example alt text](image.png)", "![](image.png)"],
    ["image alt in text", "Text ![description](pic.jpg) more text", "Text ![](pic.jpg) more text"],
    ["several images", "![one](1.png) ![two](2.png)", "![](1.png) ![](2.png)"],
    ["empty alt", "![](image.png)", "![](image.png)"],
    ["reference image alt", "![example alt text][img1]", "![][img1]"],
    ["alt with nested brackets", "![a [b] c](x.png)", "![](x.png)"],
    ["alt with escaped bracket", "![a \\] b](x.png)", "![](x.png)"],
    ["link title, double quotes", '[Link](url.com "example title")', "[Link](url.com)"],
    ["link title, single quotes", "[Link](url.com 'example title')", "[Link](url.com)"],
    ["link title, parentheses", "[Link](url.com (example title))", "[Link](url.com)"],
    ["several link titles", '[One](1.com "first") [Two](2.com "second")', "[One](1.com) [Two](2.com)"],
    ["image title", '![](x.png "hidden")', "![](x.png)"],
    ["reference definition title", '[ref]: https://x.com "hidden"', "[ref]: https://x.com"],
    ["alt attribute", '<img alt="example text" src="pic.jpg">', '<img src="pic.jpg">'],
    ["single-quoted alt", "<img alt='example' src=\"pic.jpg\">", '<img src="pic.jpg">'],
    ["unquoted alt", '<img alt=example src="pic.jpg">', '<img src="pic.jpg">'],
    ["uppercase ALT", '<IMG ALT="x" SRC="p.jpg">', '<IMG SRC="p.jpg">'],
    ["title attribute", '<a title="example text" href="#">Link</a>', '<a href="#">Link</a>'],
    ["single-quoted title", "<div title='example'>Content</div>", "<div>Content</div>"],
    ["aria-label", '<button aria-label="example">Click</button>', "<button>Click</button>"],
    ["data-* attributes", '<div data-test="example" data-info="more example">Text</div>', "<div>Text</div>"],
    ["placeholder", '<input placeholder="example text" type="text">', '<input type="text">'],
    ["several attributes", '<img alt="example" title="test" src="pic.jpg" class="image">', '<img src="pic.jpg" class="image">'],
    ["apostrophe inside double quotes", `<Tooltip title="We'll do it" placement="top">`, '<Tooltip placement="top">'],
    ["quote inside single quotes", `<div title='say "hi"'>Content</div>`, "<div>Content</div>"],
    ["multiline tag", '<img\n  alt="hidden"\n  src="p.png"\n/>', '<img\n  src="p.png"\n/>'],
    ["decimal entities", "&#72;&#101;&#108;&#108;&#111;", "Hello"],
    ["hex entities", "&#x48;&#x65;&#x6C;&#x6C;&#x6F;", "Hello"],
    ["uppercase X", "&#X41;", "A"],
    ["non-printable entities dropped", "a&#0;&#31;&#x00;&#x1F;b", "ab"],
    ["bidi override entity dropped", "a&#x202E;b&#8238;c", "abc"],
    ["zero-width entity dropped", "a&#x200B;b", "ab"],
    ["hidden entity without semicolon dropped", "a&#x202E z", "a z"],
    ["out-of-range entity dropped", "a&#x110000;b&#xD800;c", "abc"],
    ["visible non-ASCII entity kept", "caf&#233; &#x1F600;", "caf&#233; &#x1F600;"],
    ["ASCII entity without semicolon kept (Markdown shows it)", "&#65 x", "&#65 x"],
    ["entity-encoded comment", "a&#60;!-- hidden --&#62;b", "ab"],
    ["entity-encoded attribute", '<div title="&#101;&#120;">Test</div>', "<div>Test</div>"],
  ];
  it.each(cases)("%s", (_name, input, output) => {
    expect(sanitizeTaskText(input)).toBe(output);
  });
});

describe("sanitizeTaskText: visible text stays", () => {
  const unchanged: Array<[string, string]> = [
    ["prose", "Normal text"],
    ["a comparison", "if a < b and c > d then alt=1 title=x"],
    ["plain links and images", "![](normal.jpg) [Click here](https://example.com)"],
    ["links with parentheses", "[wiki](https://en.wikipedia.org/wiki/Foo_(bar))"],
    ["quoted words after a link", '[x](y) "not a title"'],
    ["autolink", "<https://example.com/a?b=c>"],
    ["closing tags", "</div></a>"],
    ["named entities", "&lt;!-- shown --&gt; &amp;"],
    [
      "legitimate markdown and HTML",
      '# Heading\n\nThis is **bold** and *italic* text.\n\n<div class="container">\n  <p id="para">Normal paragraph</p>\n  <input type="text" name="field">\n</div>\n',
    ],
    ["code fence", "```ts\nconst x: Array<string> = [];\n```"],
    ["tabs and unicode", "\tname: José 日本語 🚀"],
  ];
  it.each(unchanged)("%s", (_name, text) => {
    expect(sanitizeTaskText(text)).toBe(text);
  });
});

describe("sanitizeTaskText: everything at once", () => {
  it("strips every hidden channel and keeps the visible text", () => {
    const input = [
      "<!-- This is a comment -->",
      '<img alt="example alt text" src="image.jpg">',
      "![example image description](screenshot.png)",
      '[click here](https://example.com "example title")',
      '<div data-prompt="example data" aria-label="example label">',
      "  Normal text with hidden\u200Bcharacters",
      "</div>",
      "&#72;&#105;&#100;&#100;&#101;&#110; message",
    ].join("\r\n");
    const expected = [
      "",
      '<img src="image.jpg">',
      "![](screenshot.png)",
      "[click here](https://example.com)",
      "<div>",
      "  Normal text with hiddencharacters",
      "</div>",
      "Hidden message",
    ].join("\n");
    expect(sanitizeTaskText(input)).toBe(expected);
  });

  it("handles nested patterns", () => {
    const input = 'Text with ![alt \u200B text](image.png).\n<a href="#" title="example\u00ADtitle">Link</a>\n<div data-x="&#72;&#105;">Content</div>';
    expect(sanitizeTaskText(input)).toBe('Text with ![](image.png).\n<a href="#">Link</a>\n<div>Content</div>');
  });

  it("is idempotent", () => {
    const input = "a<!-- x -->b ![c](d \"e\") &#x202E; <i title=t>f</i>\u200B";
    const once = sanitizeTaskText(input);
    expect(sanitizeTaskText(once)).toBe(once);
  });
});

describe("sanitizeTaskText: stays fast on hostile input", () => {
  // GitHub bodies are at most 65,536 characters; a quadratic regex would take seconds here.
  const hostile: Array<[string, string]> = [
    ["unclosed tags", "<a ".repeat(21_000)],
    ["unclosed quoted attributes", '<a b="'.repeat(11_000)],
    ["mixed quotes", `<a b="<a b='`.repeat(5_400)],
    ["many attributes, no >", `<a${" b".repeat(32_000)}`],
    ["unclosed image alt", "![".repeat(32_000)],
    ["unclosed link titles", '](x "'.repeat(13_000)],
    ["unclosed comments", "<!-".repeat(21_000)],
    ["entity prefixes", "&#x".repeat(21_000)],
  ];
  it.each(hostile)("%s", (_name, text) => {
    const started = performance.now();
    sanitizeTaskText(text);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
