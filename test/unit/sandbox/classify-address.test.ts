import { describe, expect, it } from "vitest";
import { classifyAddress, type AddressClass } from "../../../src/sandbox/classify-address.js";

const cases: [string, AddressClass][] = [
  // IPv4
  ["8.8.8.8", "public"],
  ["1.1.1.1", "public"],
  ["160.79.104.10", "public"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["172.15.255.255", "public"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["172.32.0.1", "public"],
  ["192.168.1.1", "private"],
  ["192.169.0.1", "public"],
  ["169.254.169.254", "link-local"],
  ["169.254.0.1", "link-local"],
  ["100.63.255.255", "public"],
  ["100.64.0.1", "cgnat"],
  ["100.127.255.255", "cgnat"],
  ["100.128.0.1", "public"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.255", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.255", "reserved"],
  ["198.18.0.1", "reserved"],
  // IPv6
  ["2606:4700:4700::1111", "public"],
  ["::1", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["::", "unspecified"],
  ["fc00::1", "unique-local"],
  ["fd12:3456::1", "unique-local"],
  ["fdaa:0:1::3", "unique-local"], // Fly.io's private network
  ["fe80::1", "link-local"],
  ["febf::1", "link-local"],
  ["fec0::1", "private"],
  ["ff02::1", "multicast"],
  ["FE80::ABCD", "link-local"],
  // IPv4 embedded in IPv6
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::FFFF:169.254.169.254", "link-local"],
  ["::ffff:a9fe:a9fe", "link-local"],
  ["::ffff:10.1.2.3", "private"],
  ["::ffff:8.8.8.8", "public"],
  ["0:0:0:0:0:ffff:c0a8:101", "private"],
  ["::127.0.0.1", "reserved"], // IPv4-compatible (deprecated): never public
  ["::8.8.8.8", "reserved"], // IPv4-compatible: deprecated, never used legitimately
  ["64:ff9b::7f00:1", "loopback"], // NAT64 of 127.0.0.1
  ["64:ff9b::808:808", "public"],
  ["2002:a9fe:a9fe::1", "link-local"], // 6to4 of 169.254.169.254
  ["2002:808:808::1", "public"],
  // not addresses
  ["localhost", "invalid"],
  ["", "invalid"],
  ["127.1", "invalid"],
  ["fe80::1%eth0", "invalid"],
  ["[::1]", "invalid"],
  ["1.2.3.256", "invalid"],
];

describe("classifyAddress", () => {
  it.each(cases)("%s is %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});
