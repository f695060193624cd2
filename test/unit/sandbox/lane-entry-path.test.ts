import { describe, expect, it } from "vitest";
import { laneEntryPath } from "../../../src/sandbox/lane-entry-path.js";

describe("laneEntryPath", () => {
  it("is the sibling lane-entry.js when running from dist/", () => {
    expect(laneEntryPath("file:///opt/agent-race/dist/sandbox/lane-entry-path.js")).toBe("/opt/agent-race/dist/sandbox/lane-entry.js");
  });

  it("is the package's dist/sandbox/lane-entry.js when running from src/", () => {
    expect(laneEntryPath("file:///work/main/src/sandbox/lane-entry-path.ts")).toBe("/work/main/dist/sandbox/lane-entry.js");
  });

  it("defaults to this module's own location", () => {
    expect(laneEntryPath()).toMatch(/\/dist\/sandbox\/lane-entry\.js$/);
  });
});
