import { describe, expect, it } from "vitest";
import { EgressAllowlist } from "../../../src/sandbox/egress-allowlist.js";
import { parseEgressTarget } from "../../../src/sandbox/parse-egress-target.js";

const allowlist = EgressAllowlist.parse([
  "api.anthropic.com",
  "registry.npmjs.org:443",
  "*.githubusercontent.com",
  "*.example.org:8443",
  "10.0.0.5:8080",
  "[2001:db8::1]:443",
  "localhost:4000",
  "Upper.Example.NET",
]);

/** The verdict for a CONNECT-style authority: false (refused), "name" (allowed by name) or the pinned IP. */
function verdict(authority: string): false | string {
  const target = parseEgressTarget(authority);
  if (target === null) throw new Error(`unparsable: ${authority}`);
  const v = allowlist.match(target);
  return v.allowed ? (v.pinned ?? "name") : false;
}

describe("EgressAllowlist.match", () => {
  it.each<[string, false | string]>([
    ["api.anthropic.com:443", "name"],
    ["api.anthropic.com:80", "name"],
    ["API.ANTHROPIC.COM:443", "name"],
    ["api.anthropic.com.:443", "name"], // the fully qualified form of the same name
    ["api.anthropic.com:22", false],
    ["api.anthropic.com:8443", false],
    ["api.anthropic.com.evil.com:443", false],
    ["evilapi.anthropic.com:443", false],
    ["xapi.anthropic.com:443", false],
    ["sub.api.anthropic.com:443", false],
    ["anthropic.com:443", false],
    ["registry.npmjs.org:443", "name"],
    ["registry.npmjs.org:80", false],
    ["raw.githubusercontent.com:443", "name"],
    ["a.b.githubusercontent.com:80", "name"],
    ["githubusercontent.com:443", false],
    ["evilgithubusercontent.com:443", false],
    ["githubusercontent.com.evil.com:443", false],
    ["x.example.org:8443", "name"],
    ["x.example.org:443", false],
    ["upper.example.net:443", "name"],
    ["10.0.0.5:8080", "10.0.0.5"],
    ["10.0.0.5:443", false],
    ["10.0.0.6:8080", false],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["[2001:0db8:0:0:0:0:0:1]:443", "2001:db8::1"],
    ["[2001:db8::2]:443", false],
    ["localhost:4000", "127.0.0.1"],
    ["127.0.0.1:4000", "127.0.0.1"],
    ["127.0.0.1:6379", false],
    ["localhost:6379", false],
    ["[::1]:4000", false],
    ["[::ffff:127.0.0.1]:4000", false],
    ["[::ffff:10.0.0.5]:8080", false],
    ["2130706433:4000", "127.0.0.1"], // decimal form of 127.0.0.1: canonicalised, then matched as the IP
    ["0x7f.1:6379", false],
    ["8.8.8.8:443", false], // an IP is never allowed through a name entry
  ])("%s → %s", (authority, expected) => {
    expect(verdict(authority)).toBe(expected);
  });

  it("an empty allowlist refuses everything", () => {
    const none = EgressAllowlist.parse([]);
    expect(none.match({ host: "api.anthropic.com", port: 443, family: 0 })).toEqual({ allowed: false });
  });
});

describe("EgressAllowlist.parse", () => {
  it.each([
    ["10.0.0.5", /explicit port/],
    ["[::1]", /explicit port/],
    ["localhost", /explicit port/],
    ["*.com", /two labels/],
    ["*", /expected host/],
    ["*.10.0.0.5:80", /wildcard needs a domain/],
    ["api.*.com", /expected host/],
    ["https://api.anthropic.com", /expected host/],
    ["user@api.anthropic.com", /expected host/],
    ["api.anthropic.com:0", /expected host/],
    ["api.anthropic.com:65536", /expected host/],
    ["api..anthropic.com", /expected host/],
    ["::1:443", /expected host/],
    ["", /expected host/],
  ])("refuses %j", (entry, message) => {
    expect(() => EgressAllowlist.parse([entry])).toThrow(message);
  });
});

describe("parseEgressTarget", () => {
  it.each([
    ["api.anthropic.com:443", { host: "api.anthropic.com", port: 443, family: 0 }],
    ["[::1]:443", { host: "::1", port: 443, family: 6 }],
    ["[0:0::FFFF:127.0.0.1]:80", { host: "::ffff:7f00:1", port: 80, family: 6 }],
    ["127.1:80", { host: "127.0.0.1", port: 80, family: 4 }],
    ["my_host.internal:8080", { host: "my_host.internal", port: 8080, family: 0 }],
  ])("parses %s", (authority, expected) => {
    expect(parseEgressTarget(authority)).toEqual(expected);
  });

  it.each(["api.anthropic.com", "api.anthropic.com:", "::1:443", "[fe80::1%25eth0]:443", "a@b.com:443", "a b.com:443", "a%2eb.com:443", "1.2.3.999:443", "-bad.com:443", "x".repeat(64) + ".com:443", "[1.2.3.4]:443", "a.com:443/x"])(
    "refuses %j",
    (authority) => {
      expect(parseEgressTarget(authority)).toBeNull();
    },
  );

  it("uses the default port only when none is given", () => {
    expect(parseEgressTarget("example.com", 80)).toEqual({ host: "example.com", port: 80, family: 0 });
    expect(parseEgressTarget("example.com:8080", 80)?.port).toBe(8080);
  });
});
