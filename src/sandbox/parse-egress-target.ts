import { isIP } from "node:net";

/** A host and port in canonical form: a lower-case DNS name without the trailing dot, or an IP literal. */
export interface EgressTarget {
  /** The DNS name, or the IP without brackets (IPv6 compressed, IPv4 dotted: `127.1` becomes `127.0.0.1`). */
  host: string;
  port: number;
  /** 4 or 6 for an IP literal, 0 for a DNS name. */
  family: 0 | 4 | 6;
}

const AUTHORITY = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+))(?::(\d{1,5}))?$/;
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Parses `host:port`, `[v6]:port` or (with `defaultPort`) a bare host, as a CONNECT line, an allowlist
 * entry or a URL's authority carries it. Anything else (user info, an unbracketed IPv6, a zone id,
 * percent-escapes, empty labels, port 0 or above 65535) is `null`. Numeric host forms that resolvers
 * read as IPv4 (`2130706433`, `0x7f.1`) come back as the IPv4 literal they mean, never as a name.
 */
export function parseEgressTarget(authority: string, defaultPort: number | null = null): EgressTarget | null {
  const match = AUTHORITY.exec(authority);
  if (!match) return null;
  const [, bracketed, name, portText] = match;
  const port = portText === undefined ? defaultPort : Number(portText);
  if (port === null || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  if (bracketed !== undefined) {
    if (isIP(bracketed) !== 6) return null;
    return { host: canonicalHost(`[${bracketed}]`).slice(1, -1), port, family: 6 };
  }
  const host = name === undefined ? null : canonicalName(name);
  if (host === null) return null;
  const family = isIP(host);
  return { host, port, family: family === 4 ? 4 : 0 };
}

/** A name in canonical form, an IPv4 literal if the URL parser reads it as one, or `null`. */
function canonicalName(name: string): string | null {
  let host: string;
  try {
    host = canonicalHost(name);
  } catch {
    return null; // e.g. 1.2.3.999: a numeric last label that is no valid IPv4
  }
  if (isIP(host) === 4) return host;
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (host.length === 0 || host.length > 253) return null;
  return host.split(".").every((label) => LABEL.test(label)) ? host : null;
}

function canonicalHost(host: string): string {
  return new URL(`http://${host}/`).hostname;
}
