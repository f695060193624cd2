import { describe, expect, it } from "vitest";
import { EgressAllowlist } from "../../../src/sandbox/egress-allowlist.js";
import { parseEgressTarget } from "../../../src/sandbox/parse-egress-target.js";
import { resolveEgressTarget } from "../../../src/sandbox/resolve-egress-target.js";

const allowlist = EgressAllowlist.parse(["api.anthropic.com", "10.0.0.5:8080"]);
const target = (authority: string) => parseEgressTarget(authority) ?? (() => { throw new Error(authority); })();

describe("resolveEgressTarget", () => {
  it("resolves an allowed name once and returns the checked address to connect to", async () => {
    const calls: string[] = [];
    const answers = [["160.79.104.10", "2607:6bc0::10"], ["127.0.0.1"]]; // a rebinding resolver: the second answer is loopback
    const lookup = async (host: string) => (calls.push(host), answers[calls.length - 1] ?? []);
    expect(await resolveEgressTarget(target("api.anthropic.com:443"), allowlist, lookup, 1_000)).toEqual({ ok: true, address: "160.79.104.10" });
    expect(calls).toEqual(["api.anthropic.com"]);
  });

  it("uses an operator-named IP as it is, without a lookup or the address check", async () => {
    const lookup = async (): Promise<string[]> => { throw new Error("must not resolve"); };
    expect(await resolveEgressTarget(target("10.0.0.5:8080"), allowlist, lookup, 1_000)).toEqual({ ok: true, address: "10.0.0.5" });
  });

  it("refuses what the allowlist does not name, before any lookup", async () => {
    const lookup = async (): Promise<string[]> => { throw new Error("must not resolve"); };
    expect(await resolveEgressTarget(target("evil.example:443"), allowlist, lookup, 1_000)).toMatchObject({ ok: false, status: 403, denied: true });
    expect(await resolveEgressTarget(target("10.0.0.5:22"), allowlist, lookup, 1_000)).toMatchObject({ ok: false, status: 403, denied: true });
  });

  it.each([[["127.0.0.1"]], [["::ffff:169.254.169.254"]], [["not-an-ip"]], [["160.79.104.10", "fdaa::2"]]])("refuses a name answering %j", async (addresses) => {
    expect(await resolveEgressTarget(target("api.anthropic.com:443"), allowlist, async () => addresses, 1_000)).toMatchObject({ ok: false, status: 403, denied: true });
  });

  it("reports a failed, empty or hung lookup as a gateway error, not a denial", async () => {
    const t = target("api.anthropic.com:443");
    expect(await resolveEgressTarget(t, allowlist, async () => { throw new Error("ENOTFOUND"); }, 1_000)).toMatchObject({ status: 502, denied: false });
    expect(await resolveEgressTarget(t, allowlist, async () => [], 1_000)).toMatchObject({ status: 502, denied: false });
    expect(await resolveEgressTarget(t, allowlist, () => new Promise<string[]>(() => undefined), 50)).toMatchObject({ status: 504, denied: false });
  });
});
