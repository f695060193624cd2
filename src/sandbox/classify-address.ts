import { isIP } from "node:net";

/** What kind of address an IP is; only `public` may be reached through the egress proxy by name. */
export type AddressClass =
  | "public"
  | "invalid"
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "cgnat"
  | "multicast"
  | "unique-local"
  | "reserved";

type Rule = readonly [cls: Exclude<AddressClass, "public" | "invalid">, bytes: readonly number[], prefixBits: number];

const V4_RULES: readonly Rule[] = [
  ["unspecified", [0], 8], // 0.0.0.0/8 ("this network"; 0.0.0.0 reaches the host's own services)
  ["private", [10], 8],
  ["cgnat", [100, 64], 10],
  ["loopback", [127], 8],
  ["link-local", [169, 254], 16], // includes the 169.254.169.254 metadata service
  ["private", [172, 16], 12],
  ["reserved", [192, 0, 0], 24], // IETF protocol assignments
  ["private", [192, 168], 16],
  ["reserved", [198, 18], 15], // benchmarking
  ["multicast", [224], 4],
  ["reserved", [240], 4], // reserved and the limited broadcast 255.255.255.255
];

const V6_RULES: readonly Rule[] = [
  ["loopback", [...Array<number>(15).fill(0), 1], 128],
  ["unspecified", Array<number>(16).fill(0), 128],
  ["reserved", Array<number>(12).fill(0), 96], // IPv4-compatible ::a.b.c.d (deprecated)
  ["reserved", [0x01, 0x00, ...Array<number>(6).fill(0)], 64], // 100::/64 discard
  ["unique-local", [0xfc], 7], // fc00::/7, includes Fly's private network fdaa::/16
  ["link-local", [0xfe, 0x80], 10],
  ["private", [0xfe, 0xc0], 10], // deprecated site-local
  ["multicast", [0xff], 8],
];

/**
 * Classifies an IP literal (IPv4, or IPv6 without brackets or zone). Addresses that embed an IPv4
 * address (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are classified by it, so
 * `::ffff:127.0.0.1` is loopback. Anything unparsable is `invalid`.
 */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 4) return classifyBytes(address.split(".").map(Number), V4_RULES);
  if (family !== 6 || address.includes("%")) return "invalid";
  const bytes = ipv6Bytes(address);
  if (!bytes) return "invalid";
  const embedded = embeddedIPv4(bytes);
  if (embedded) {
    const cls = classifyBytes(embedded, V4_RULES);
    if (cls !== "public") return cls;
  }
  return classifyBytes(bytes, V6_RULES);
}

function classifyBytes(bytes: readonly number[], rules: readonly Rule[]): AddressClass {
  for (const [cls, prefix, bits] of rules) if (matchesPrefix(bytes, prefix, bits)) return cls;
  return "public";
}

function matchesPrefix(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const index = bit / 8;
    const width = Math.min(8, bits - bit);
    const mask = (0xff << (8 - width)) & 0xff;
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

function embeddedIPv4(bytes: readonly number[]): number[] | null {
  const zeros = (from: number, to: number): boolean => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12, 16); // ::ffff:0:0/96
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return bytes.slice(12, 16);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6); // 6to4
  return null;
}

/** The 16 bytes of a valid IPv6 literal (checked by `isIP` first), `null` when it does not parse. */
function ipv6Bytes(address: string): number[] | null {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    if (isIP(dotted[2] ?? "") !== 4) return null;
    tail.push(...(dotted[2] ?? "").split(".").map(Number));
    text = dotted[1] + "0:0"; // placeholder groups, replaced by the tail below
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string | undefined): string[] => (part ? part.split(":") : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  const bytes = all.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
  if (bytes.length !== 16 || bytes.some((b) => Number.isNaN(b))) return null;
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}
