import { describe, expect, it } from "vitest";
import { CappedLog } from "../../../src/process/capped-log.js";

describe("CappedLog's tail", () => {
  it("keeps a UTF-8 character whole when a chunk boundary splits it", () => {
    const log = new CappedLog(undefined, 0, 1024);
    const bytes = Buffer.from("größe ✓ 日本", "utf8");
    for (let i = 0; i < bytes.length; i++) log.write(bytes.subarray(i, i + 1), true);
    expect(log.tailText()).toBe("größe ✓ 日本");
  });
});
