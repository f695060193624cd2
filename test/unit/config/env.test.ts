import { describe, expect, it } from "vitest";
import { loadEnv } from "../../../src/config/env.js";
import { ConfigError } from "../../../src/errors.js";

describe("loadEnv", () => {
  it("keeps GitHub request throttling on unless AGENT_RACE_GITHUB_THROTTLE is off, and refuses anything else", () => {
    expect(loadEnv({}).AGENT_RACE_GITHUB_THROTTLE).toBe("on");
    expect(loadEnv({ AGENT_RACE_GITHUB_THROTTLE: "off" }).AGENT_RACE_GITHUB_THROTTLE).toBe("off");
    expect(() => loadEnv({ AGENT_RACE_GITHUB_THROTTLE: "false" })).toThrow(ConfigError);
  });
});
