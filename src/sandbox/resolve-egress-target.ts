import { lookup as dnsLookup } from "node:dns/promises";
import { classifyAddress } from "./classify-address.js";
import type { EgressAllowlist } from "./egress-allowlist.js";
import type { EgressTarget } from "./parse-egress-target.js";

export type HostLookup = (host: string) => Promise<string[]>;

/** Where to connect, or why not: `denied` marks a policy refusal (403), as opposed to a failure (502/504). */
export type EgressResolution =
  | { ok: true; address: string }
  | { ok: false; status: 403 | 502 | 504; reason: string; denied: boolean };

/** Every address the system resolver returns for a name, in its order. */
export const systemLookup: HostLookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Decides one target: refused unless the allowlist names it; an IP the operator named is used as it
 * is; a name is resolved exactly once and refused if any of its addresses is not public (loopback,
 * private, link-local and metadata, CGNAT, unique-local, multicast, IPv4-mapped forms of those). The
 * caller connects to the returned address, so a second, rebound answer can never be used.
 */
export async function resolveEgressTarget(
  target: EgressTarget,
  allowlist: EgressAllowlist,
  lookup: HostLookup,
  timeoutMs: number,
): Promise<EgressResolution> {
  const verdict = allowlist.match(target);
  if (!verdict.allowed) return { ok: false, status: 403, reason: "not in the sandbox's egress allowlist", denied: true };
  if (verdict.pinned !== null) return { ok: true, address: verdict.pinned };
  // Only named IP entries match an IP target, so from here on the target is a DNS name.
  let addresses: string[];
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      lookup(target.host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
      }),
    ]);
  } catch (error) {
    const timedOut = error instanceof Error && error.message === "timeout";
    return { ok: false, status: timedOut ? 504 : 502, reason: timedOut ? "name lookup timed out" : "name lookup failed", denied: false };
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) return { ok: false, status: 502, reason: "name lookup returned no address", denied: false };
  for (const address of addresses) {
    const cls = classifyAddress(address);
    if (cls !== "public") return { ok: false, status: 403, reason: `resolves to a non-public address (${cls})`, denied: true };
  }
  return { ok: true, address: addresses[0] as string };
}
