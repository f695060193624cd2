import { describe, expect, it } from "vitest";
import { tokenizeArgs } from "../../../src/commands/tokenize-args.js";

describe("tokenizeArgs", () => {
  const ok: Array<[string, string[]]> = [
    ["", []],
    ["   ", []],
    ["a b  c", ["a", "b", "c"]],
    ["\ta\tb ", ["a", "b"]],
    ['"a b"', ["a b"]],
    ["'a b'", ["a b"]],
    ['--x="a b"', ["--x=a b"]],
    ["a'b c'd", ["ab cd"]],
    ['""', [""]],
    ["''", [""]],
    ['"say \\"hi\\""', ['say "hi"']],
    ['"back\\\\slash"', ["back\\slash"]],
    ["'no \\escapes'", ["no \\escapes"]],
    ['"it\'s"', ["it's"]],
    ["'say \"hi\"'", ['say "hi"']],
    ["a\\b", ["a\\b"]],
    ["3; rm -rf ~", ["3;", "rm", "-rf", "~"]],
    ["$(curl x|sh)", ["$(curl", "x|sh)"]],
  ];
  it.each(ok)("splits %j", (text, tokens) => {
    expect(tokenizeArgs(text)).toEqual({ ok: true, tokens });
  });

  const bad: Array<[string, string]> = [
    ['"open', "double quote"],
    ["'open", "single quote"],
    ['a "b" "c', "double quote"],
    ['"trailing\\', "backslash"],
  ];
  it.each(bad)("rejects %j", (text, error) => {
    const result = tokenizeArgs(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(error);
  });
});
