import { describe, expect, it } from "vitest";
import { redisOptions } from "../../../src/redis/connection.js";

describe("redisOptions", () => {
  it.each([
    ["redis://127.0.0.1:6379", { host: "127.0.0.1", port: 6379, db: 0 }],
    ["redis://:s3cr%40t@redis.internal:6380/2", { host: "redis.internal", port: 6380, db: 2, password: "s3cr@t" }],
    ["redis://app:pw@redis.internal", { host: "redis.internal", port: 6379, db: 0, username: "app", password: "pw" }],
    ["rediss://:pw@cache.example.com:6380", { host: "cache.example.com", port: 6380, db: 0, password: "pw", tls: { servername: "cache.example.com" } }],
    // No SNI for an IP address (Node deprecates it); the certificate is still checked against the address.
    ["rediss://127.0.0.1:6380", { host: "127.0.0.1", port: 6380, db: 0, tls: {} }],
  ])("%s", (url, expected) => {
    expect(redisOptions(url)).toEqual(expected);
  });

  it("refuses other schemes and bad databases without echoing the password", () => {
    expect(() => redisOptions("http://:hunter2@x:1")).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => redisOptions("redis://:hunter2@x:1/abc")).toThrow(/database number/);
    try {
      redisOptions("http://:hunter2@x:1");
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});
