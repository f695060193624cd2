import { describe, expect, it } from "vitest";
import { firstErrorLine } from "../../../src/agents/first-error-line.js";

describe("firstErrorLine", () => {
  it("picks the error over the usage text around it (a CLI given a flag it does not know)", () => {
    const stderr = "error: unexpected argument '--no-such-flag' found\n\n  tip: to pass '--no-such-flag' as a value, use '-- --no-such-flag'\n\nUsage: claude [options] [command] [prompt]\n\nFor more information, try '--help'.\n";
    expect(firstErrorLine(stderr)).toBe("error: unexpected argument '--no-such-flag' found");
  });

  it.each([
    ["git's fatal", "hint: something\nfatal: not a git repository (or any of the parent directories): .git\n", "fatal: not a git repository (or any of the parent directories): .git"],
    ["a capitalised Error", "(node:12) Warning: something\nError: Cannot find module '/x/agent.mjs'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)\n", "Error: Cannot find module '/x/agent.mjs'"],
    [
      "a Node TypeError after the source excerpt",
      "file:///work/agent.mjs:3\n  throw new TypeError('bad input');\n  ^\n\nTypeError: bad input\n    at file:///work/agent.mjs:3:9\n\nNode.js v22.12.0\n",
      "TypeError: bad input",
    ],
    ["a Python exception", "Traceback (most recent call last):\n  File \"/usr/bin/aider\", line 8, in <module>\nModuleNotFoundError: No module named 'aider'\n", "ModuleNotFoundError: No module named 'aider'"],
    ["a qualified Java exception, above its stack", "Picked up JAVA_TOOL_OPTIONS\nException in thread \"main\" java.lang.IllegalStateException: boom\n\tat Main.main(Main.java:3)\n", "Exception in thread \"main\" java.lang.IllegalStateException: boom"],
    ["a bare exception class", "RuntimeException: no key\n", "RuntimeException: no key"],
    ["a bracketed [ERROR]", "[INFO] starting\n[ERROR] model not found: gpt-9\n", "[ERROR] model not found: gpt-9"],
    ["a Rust compiler error with its code", "   Compiling x v0.1.0\nerror[E0425]: cannot find value `y` in this scope\n", "error[E0425]: cannot find value `y` in this scope"],
    ["a Rust panic", "thread 'main' panicked at src/main.rs:2:5:\nexplicit panic\nnote: run with `RUST_BACKTRACE=1`\n", "thread 'main' panicked at src/main.rs:2:5:"],
    ["a Go panic", "goroutine 1 [running]:\npanic: runtime error: index out of range [3] with length 3\n", "panic: runtime error: index out of range [3] with length 3"],
    ["npm ERR!", "npm WARN old lockfile\nnpm ERR! code ENOENT\nnpm ERR! path /x/package.json\n", "npm ERR! code ENOENT"],
    ["ERR!", "ERR! something broke\n", "ERR! something broke"],
    ["lower-case error without a colon space", "ERROR:root:OPENAI_API_KEY is not set\n", "ERROR:root:OPENAI_API_KEY is not set"],
  ])("%s", (_name, stderr, expected) => {
    expect(firstErrorLine(stderr)).toBe(expected);
  });

  it("the first error line wins over later ones", () => {
    expect(firstErrorLine("warning: deprecated option\nerror: the first\nerror: the second\n")).toBe("error: the first");
  });

  it("does not take a word that merely starts like one for an error", () => {
    // Neither "Errors: 0" nor "errored" says what went wrong; the last plain line is the answer.
    expect(firstErrorLine("Errors: 0\nerrored tasks were retried\nthe model refused the request\n")).toBe("the model refused the request");
  });

  it("without an error line: the last line that is not a usage hint, a stack frame or decoration", () => {
    expect(firstErrorLine("Usage: agent [options]\nsomething went sideways\nFor more information, try '--help'.\n")).toBe("something went sideways");
    expect(firstErrorLine("could not reach the model\n    at fetch (node:internal/deps/undici:1:1)\n    at run (/x.js:2:3)\n")).toBe("could not reach the model");
    expect(firstErrorLine("the quota is used up\n^^^^^\n-----\n=====\n─────\nTry 'agent --help' for more information.\n")).toBe("the quota is used up");
  });

  it("null when stderr says nothing, or only noise", () => {
    expect(firstErrorLine("")).toBeNull();
    expect(firstErrorLine("\n  \n\t\n")).toBeNull();
    expect(firstErrorLine("Usage: x\nFor more information, try '--help'.\n")).toBeNull();
  });

  it("strips ANSI colours and surrounding blanks, and handles CRLF", () => {
    expect(firstErrorLine("\u001b[1m\u001b[31merror\u001b[0m\u001b[1m: bad flag\u001b[0m\r\n")).toBe("error: bad flag");
    expect(firstErrorLine("\u001b[?25l  plain failure  \r\n")).toBe("plain failure");
  });

  it("cuts a long line to 200 characters, ending in an ellipsis", () => {
    const line = firstErrorLine(`Error: ${"x".repeat(500)}\n`);
    expect(line).toHaveLength(200);
    expect(line?.startsWith("Error: xxx")).toBe(true);
    expect(line?.endsWith("x…")).toBe(true);
    const exact = `error: ${"y".repeat(193)}`;
    expect(exact).toHaveLength(200);
    expect(firstErrorLine(exact)).toBe(exact);
  });
});
