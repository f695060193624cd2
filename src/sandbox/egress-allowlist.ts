import { parseEgressTarget, type EgressTarget } from "./parse-egress-target.js";

/** The verdict on one target: refused, or allowed, with the address to connect to when the entry pins one. */
export type EgressVerdict =
  | { allowed: false }
  /** `pinned`: an IP the operator named (or 127.0.0.1 for `localhost:PORT`), reached without the address check. */
  | { allowed: true; pinned: string | null };

interface Entry {
  kind: "exact" | "wildcard" | "ip";
  /** The name, the wildcard's parent domain (without `*.`), or the canonical IP. */
  host: string;
  ports: readonly number[];
}

const DEFAULT_PORTS = [443, 80] as const;

/**
 * The hosts a sandboxed phase may reach. Entries:
 * - `host` (ports 443 and 80) or `host:port`;
 * - `*.example.com[:port]`: any subdomain of example.com, not example.com itself;
 * - an IP literal (`10.0.0.5:8080`, `[2001:db8::1]:443`) or `localhost`, only with an explicit port.
 *
 * Names compare case-insensitively and exactly, after canonicalisation (no trailing dot, numeric IPv4
 * forms made dotted): `api.anthropic.com.evil.com` does not match `api.anthropic.com`.
 */
export class EgressAllowlist {
  private constructor(private readonly entries: readonly Entry[]) {}

  /** Parses the entries; throws on the first invalid one, so a typo cannot open more than was meant. */
  static parse(entries: readonly string[]): EgressAllowlist {
    return new EgressAllowlist(entries.map(parseEntry));
  }

  match(target: EgressTarget): EgressVerdict {
    for (const entry of this.entries) {
      if (!entry.ports.includes(target.port)) continue;
      if (entry.kind === "ip") {
        if (target.host === entry.host || (entry.host === "127.0.0.1" && target.host === "localhost")) return { allowed: true, pinned: entry.host };
      } else if (target.family === 0) {
        const hit = entry.kind === "exact" ? target.host === entry.host : target.host.endsWith(`.${entry.host}`);
        if (hit) return { allowed: true, pinned: null };
      }
    }
    return { allowed: false };
  }
}

function parseEntry(raw: string): Entry {
  const text = raw.trim();
  const wildcard = text.startsWith("*.");
  const authority = wildcard ? text.slice(2) : text;
  const withPort = parseEgressTarget(authority);
  const target = withPort ?? parseEgressTarget(authority, DEFAULT_PORTS[0]);
  const invalid = (why: string): Error => new Error(`Invalid egress allowlist entry ${JSON.stringify(raw)}: ${why}`);
  if (target === null) throw invalid("expected host, host:port, *.domain[:port] or an IP literal with a port");
  const explicitPort = withPort !== null;
  const ports = explicitPort ? [target.port] : DEFAULT_PORTS;
  if (target.family !== 0 || target.host === "localhost") {
    if (wildcard) throw invalid("a wildcard needs a domain name");
    if (!explicitPort) throw invalid("an IP address or localhost needs an explicit port");
    return { kind: "ip", host: target.host === "localhost" ? "127.0.0.1" : target.host, ports };
  }
  if (wildcard && !target.host.includes(".")) throw invalid("a wildcard needs a domain with at least two labels");
  return { kind: wildcard ? "wildcard" : "exact", host: target.host, ports };
}
