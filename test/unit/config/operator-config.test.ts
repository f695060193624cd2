import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOperatorConfig } from "../../../src/config/operator-config.js";
import { ConfigError } from "../../../src/errors.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function load(yaml: string) {
  dir = await mkdtemp(join(tmpdir(), "agent-race-operator-"));
  const file = join(dir, "operator.yml");
  await writeFile(file, yaml);
  return loadOperatorConfig(file);
}

describe("operator config budget", () => {
  it("reads per_installation_usd_per_day, and has no limit by default", async () => {
    expect((await load("budget: { per_installation_usd_per_day: 25 }")).budget).toEqual({ per_installation_usd_per_day: 25 });
    expect((await load("allow_presets: true")).budget).toEqual({});
    expect((await loadOperatorConfig(undefined)).budget).toEqual({});
  });

  it.each([
    ["a negative limit", "budget: { per_installation_usd_per_day: -1 }", /positive amount of US dollars/],
    ["a repo's key in the operator's budget", "budget: { per_race_usd: 5 }", /Unrecognized key: "per_race_usd"/],
  ])("rejects %s, naming the file", async (_name, yaml, message) => {
    const error = await load(yaml).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain("operator.yml");
  });
});
