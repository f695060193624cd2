import { describe, expect, it } from "vitest";
import { operatorConfigSchema } from "../../../src/config/operator-config.js";
import { parseConfigWith, parseRepoConfig } from "../../../src/config/parse-repo-config.js";
import { laneSlotLimits, slotRetryDelayMs, slotWaitDetail } from "../../../src/workers/claim-lane-slot.js";

const operator = (text: string) => parseConfigWith(operatorConfigSchema, text, "operator.yml");

describe("lane slot limits", () => {
  it("applies the repo's max_parallel_lanes and the operator's per-installation cap, each only when set", () => {
    const none = laneSlotLimits(parseRepoConfig("", "f.yml"), operator(""), 7, 3);
    expect(none).toEqual([]);
    expect(laneSlotLimits(parseRepoConfig("max_parallel_lanes: 2", "f.yml"), operator(""), 7, 3)).toEqual([{ scope: "repo", id: 7, limit: 2 }]);
    expect(laneSlotLimits(parseRepoConfig("", "f.yml"), operator("max_parallel_lanes_per_installation: 10"), 7, 3)).toEqual([{ scope: "installation", id: 3, limit: 10 }]);
    expect(laneSlotLimits(parseRepoConfig("max_parallel_lanes: 1", "f.yml"), operator("max_parallel_lanes_per_installation: 4"), 7, 3)).toEqual([
      { scope: "repo", id: 7, limit: 1 },
      { scope: "installation", id: 3, limit: 4 },
    ]);
  });

  it("rejects limits below 1 or not whole", () => {
    expect(() => parseRepoConfig("max_parallel_lanes: 0", "f.yml")).toThrow(/max_parallel_lanes/);
    expect(() => parseRepoConfig("max_parallel_lanes: 1.5", "f.yml")).toThrow(/max_parallel_lanes/);
    expect(() => operator("max_parallel_lanes_per_installation: 0")).toThrow(/max_parallel_lanes_per_installation/);
  });

  it("says why a lane waits, and waits 2-4 s", () => {
    expect(slotWaitDetail({ scope: "repo", id: 7, limit: 1 })).toBe("waiting for a lane slot (repo limit 1)");
    expect(slotWaitDetail({ scope: "installation", id: 3, limit: 12 })).toBe("waiting for a lane slot (installation limit 12)");
    expect([slotRetryDelayMs(() => 0), slotRetryDelayMs(() => 0.5), slotRetryDelayMs(() => 0.999)]).toEqual([2000, 3000, 3998]);
  });
});
