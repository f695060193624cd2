import { describe, expect, it } from "vitest";
import { egressEnv } from "../../../src/sandbox/egress-env.js";

describe("egressEnv", () => {
  it("points both cases of the proxy variables at the bridge and keeps loopback direct", () => {
    expect(egressEnv({ proxyPort: 3128, noProxy: [] })).toEqual({
      HTTPS_PROXY: "http://127.0.0.1:3128",
      HTTP_PROXY: "http://127.0.0.1:3128",
      https_proxy: "http://127.0.0.1:3128",
      http_proxy: "http://127.0.0.1:3128",
      NO_PROXY: "localhost,127.0.0.1",
      no_proxy: "localhost,127.0.0.1",
    });
  });

  it("adds the forwarded hosts to NO_PROXY once each and never sets ALL_PROXY", () => {
    const env = egressEnv({ proxyPort: 3128, noProxy: ["gateway.lane", " 127.0.0.1 ", ""] });
    expect(env.NO_PROXY).toBe("localhost,127.0.0.1,gateway.lane");
    expect(env.no_proxy).toBe(env.NO_PROXY);
    expect(Object.keys(env).filter((key) => /all_proxy/i.test(key))).toEqual([]);
  });

  it("refuses a port that is no port", () => {
    expect(() => egressEnv({ proxyPort: 0, noProxy: [] })).toThrow(/port/);
    expect(() => egressEnv({ proxyPort: 70000, noProxy: [] })).toThrow(/port/);
  });
});
