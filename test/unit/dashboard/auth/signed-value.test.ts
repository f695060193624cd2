import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signValue, verifyValue } from "../../../../src/dashboard/auth/signed-value.js";

const SECRET = "x".repeat(40);

describe("signed values (session cookies)", () => {
  it("round-trips a payload until it expires", () => {
    const value = signValue(SECRET, { sid: "abc", login: "alice" }, 60_000, 1000);
    expect(verifyValue(SECRET, value, 2000)).toMatchObject({ sid: "abc", login: "alice", exp: 61_000 });
    expect(verifyValue(SECRET, value, 61_000)).toBeNull();
  });

  it("rejects a changed payload, a changed signature, another secret and garbage", () => {
    const value = signValue(SECRET, { sid: "abc", login: "alice" }, 60_000);
    const [body, mac] = value.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ sid: "abc", login: "mallory", exp: Date.now() + 60_000 })).toString("base64url");
    expect(verifyValue(SECRET, `${forged}.${mac}`)).toBeNull();
    expect(verifyValue(SECRET, `${body}.${mac.slice(0, -2)}AA`)).toBeNull();
    expect(verifyValue("y".repeat(40), value)).toBeNull();
    for (const junk of [undefined, "", "abc", "a.b.c", `${body}.`, `.${mac}`]) expect(verifyValue(SECRET, junk)).toBeNull();
  });

  it("rejects a validly signed value that is not an object with exp", () => {
    const body = Buffer.from("[1,2]").toString("base64url");
    expect(verifyValue(SECRET, `${body}.${createHmac("sha256", SECRET).update(body).digest("base64url")}`)).toBeNull();
  });
});
